using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace VeloZ.Binance.Tests;

/// <summary>An HTTP handler that answers from a script and records every request it was sent.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, Task<HttpResponseMessage>>> _script = new();

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string> Uris { get; } = [];

    public ScriptedHandler Then(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public ScriptedHandler Then(HttpStatusCode status, string json, Action<HttpResponseMessage>? headers = null) => Then(_ =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        headers?.Invoke(response);
        return Task.FromResult(response);
    });

    public ScriptedHandler ThenThrow(Exception exception) => Then(_ => Task.FromException<HttpResponseMessage>(exception));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
            Uris.Add(request.RequestUri!.ToString());
        }

        return _script.TryDequeue(out var answer)
            ? answer(request).WaitAsync(cancellationToken)
            : throw new InvalidOperationException($"Unexpected request {request.Method} {request.RequestUri}");
    }
}
