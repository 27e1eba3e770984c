using System.Net;
using System.Reflection;
using System.Text;
using VeloZ.Client;

namespace VeloZ.Functions.Tests.OpenApi;

/// <summary>
/// <see cref="VeloZClient"/> follows the OpenAPI document: each of its methods sends a request whose verb and path are
/// an operation of the document, and together they cover every operation.
/// </summary>
public sealed class VeloZClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_client_method_calls_an_operation_of_the_document_and_every_operation_has_one()
    {
        var sent = new List<string>();
        using var handler = new RecordingHandler(sent);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:8080/") };
        var client = new VeloZClient(http, "vz_key");
        var methods = typeof(VeloZClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);

        foreach (var method in methods)
        {
            var before = sent.Count;
            var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken) ? Ct : Sample(p.ParameterType)).ToArray();
            switch (method.Invoke(client, arguments))
            {
                case Task task:
                    await task;
                    break;
                case IAsyncEnumerable<StreamEvent> events:
                    await Assert.ThrowsAsync<VeloZApiException>(async () => await events.GetAsyncEnumerator(Ct).MoveNextAsync());
                    break;
            }

            Assert.True(sent.Count == before + 1, $"{method.Name} sent {sent.Count - before} requests");
        }

        // The dashboard's files are for browsers, not programs: the client has no method for them.
        var operations = OpenApiDocumentTests.DocumentOperations(OpenApiDocumentTests.Read().Document!).Where(o => !o.StartsWith("dashboard/", StringComparison.Ordinal)).ToList();
        Assert.All(sent, s => Assert.Contains(s, operations));
        Assert.Equal(operations, sent.Distinct().Order(StringComparer.Ordinal));
        Assert.All(handler.Keys, k => Assert.Equal("vz_key", k));
    }

    [Fact]
    public async Task An_error_answer_is_returned_with_its_code_and_raised_on_demand()
    {
        using var handler = new RecordingHandler([]);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:8080/") };

        var answer = await new VeloZClient(http).GetOrderStateAsync("a b", Ct);

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("not_found", answer.Error!.Error);
        Assert.False(answer.IsSuccess);
        Assert.Equal(HttpStatusCode.NotFound, Assert.Throws<VeloZApiException>(() => answer.EnsureSuccess()).Status);
        Assert.Equal("/api/order_state?client_order_id=a%20b", handler.LastPathAndQuery);
    }

    [Fact]
    public async Task Stream_events_are_read_with_their_id_name_and_data_skipping_comments()
    {
        const string Wire = "id: 41\nevent: market\ndata: {\"type\":\"market\",\"symbol\":\"BTCUSDT\",\"price\":42000.5,\"ts_ns\":1}\n\n: keep-alive\n\nid: 42\nevent: fill\ndata: {\"type\":\"fill\",\"qty\":0.001}\n\n";
        using var reader = new StringReader(Wire);

        var events = new List<StreamEvent>();
        await foreach (var e in ServerSentEvents.ReadAsync(reader, Ct))
        {
            events.Add(e);
        }

        Assert.Equal([(41L, "market"), (42L, "fill")], events.Select(e => (e.Id, e.Event)));
        Assert.Equal(42000.5m, events[0].Data.GetProperty("price").GetDecimal());
        Assert.Equal(0.001m, events[1].Data.GetProperty("qty").GetDecimal());
    }

    /// <summary>A value for a parameter: strings, numbers and request records filled with plain values.</summary>
    private static object? Sample(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return "x";
        }

        if (underlying.IsPrimitive || underlying == typeof(decimal))
        {
            return Convert.ChangeType(1, underlying, System.Globalization.CultureInfo.InvariantCulture);
        }

        var constructor = underlying.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Sample(p.ParameterType))]);
    }

    /// <summary>Records each request as <c>route verb</c> and answers it 404 <c>not_found</c>.</summary>
    private sealed class RecordingHandler(List<string> sent) : HttpMessageHandler
    {
        public List<string?> Keys { get; } = [];

        public string? LastPathAndQuery { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add($"{request.RequestUri!.AbsolutePath.TrimStart('/')} {request.Method.Method.ToLowerInvariant()}");
            Keys.Add(request.Headers.TryGetValues("X-API-Key", out var keys) ? keys.Single() : null);
            LastPathAndQuery = request.RequestUri.PathAndQuery;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("""{"ok":false,"error":"not_found","message":"No such order."}""", Encoding.UTF8, "application/json"),
            });
        }
    }
}
