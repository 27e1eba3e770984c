using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

/// <summary>One Server-Sent Event as the client received it.</summary>
internal sealed record StreamEvent(long Id, string Type, string Data)
{
    public string? ClientOrderId => Field("client_order_id");

    public string? Status => Field("status");

    private string? Field(string name)
    {
        using var document = JsonDocument.Parse(Data);
        return document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}

/// <summary>
/// Reads <c>GET /api/stream</c> as an SSE client does: every event with its <c>id</c>, in arrival order. If the
/// response ends or breaks, it reconnects with <c>?last_id=</c> of the last event it saw (as
/// <c>EventSource</c> does with <c>Last-Event-ID</c>) and counts the reconnect.
/// </summary>
internal sealed class StreamRecorder : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<StreamEvent> _events = new();
    private readonly ConcurrentQueue<string> _breaks = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private StreamRecorder(Uri baseAddress, string? apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<StreamEvent> Events => [.. _events];

    /// <summary>Why the stream had to be resumed, once per reconnect (empty: it never went down).</summary>
    public IReadOnlyList<string> Breaks => [.. _breaks];

    public static StreamRecorder Start(Uri baseAddress) => new(baseAddress, null);

    /// <summary>Starts reading with <paramref name="apiKey"/> sent as <c>X-API-Key</c> (a gateway with authentication on).</summary>
    public static StreamRecorder Start(Uri baseAddress, string apiKey) => new(baseAddress, apiKey);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var token = _stop.Token;
        long? lastId = null;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var path = lastId is { } id ? $"/api/stream?last_id={id}" : "/api/stream";
                using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, token);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(token);
                using var reader = new StreamReader(body, Encoding.UTF8);
                string? eventId = null;
                string? type = null;
                var data = new StringBuilder();
                while (await reader.ReadLineAsync(token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (eventId is not null && type is not null)
                        {
                            var e = new StreamEvent(long.Parse(eventId, CultureInfo.InvariantCulture), type, data.ToString());
                            _events.Enqueue(e);
                            lastId = e.Id;
                        }

                        eventId = null;
                        type = null;
                        data.Clear();
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        eventId = line[4..];
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        data.Append(line[6..]);
                    }
                }

                _breaks.Enqueue($"the response ended after id {lastId}");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                _breaks.Enqueue($"{ex.GetType().Name} after id {lastId}: {ex.Message}");
            }

            await Task.Delay(200, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
