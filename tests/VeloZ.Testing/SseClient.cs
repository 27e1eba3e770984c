using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace VeloZ.Testing;

/// <summary>One Server-Sent Event as a client parsed it.</summary>
/// <param name="Id">The <c>id:</c> line (null when the event had none).</param>
/// <param name="Event">The <c>event:</c> line.</param>
/// <param name="Data">The <c>data:</c> line(s).</param>
/// <param name="ReceivedAt">When the last byte of the event arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks).</param>
public sealed record SseEvent(long? Id, string Event, string Data, long ReceivedAt);

/// <summary>
/// A minimal <c>text/event-stream</c> reader for tests and benchmarks: opens the stream, parses events and
/// comment lines (keep-alives) as they arrive, and exposes them as a channel. It reads until the server
/// ends the response or the client is disposed.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly Task _reading;
    private int _comments;

    private SseClient(HttpResponseMessage response)
    {
        Response = response;
        _reading = ReadAsync(response);
    }

    public HttpResponseMessage Response { get; }

    public ChannelReader<SseEvent> Events => _events.Reader;

    /// <summary>Comment lines seen (e.g. <c>: keep-alive</c>).</summary>
    public int Comments => Volatile.Read(ref _comments);

    /// <summary>Completes when the server ended the response (or the read failed).</summary>
    public Task Completion => _reading;

    public static async Task<SseClient> OpenAsync(HttpClient http, string path, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new SseClient(response);
    }

    /// <summary>Reads events until <paramref name="until"/> holds for the list so far or <paramref name="timeout"/> passes.</summary>
    public async Task<List<SseEvent>> CollectAsync(Func<IReadOnlyList<SseEvent>, bool> until, TimeSpan timeout, List<SseEvent>? into = null)
    {
        ArgumentNullException.ThrowIfNull(until);
        var collected = into ?? [];
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (!until(collected) && await _events.Reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                while (_events.Reader.TryRead(out var e))
                {
                    collected.Add(e);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        return collected;
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            long? id = null;
            string? type = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    if (type is not null || data.Length > 0)
                    {
                        _events.Writer.TryWrite(new SseEvent(id, type ?? "message", data.ToString(), System.Diagnostics.Stopwatch.GetTimestamp()));
                    }

                    id = null;
                    type = null;
                    data.Clear();
                }
                else if (line[0] == ':')
                {
                    Interlocked.Increment(ref _comments);
                }
                else if (line.StartsWith("id:", StringComparison.Ordinal))
                {
                    id = long.Parse(line.AsSpan(3).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(data.Length > 0 ? "\n" : string.Empty).Append(line.AsSpan(5).TrimStart(' '));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Response.Dispose();
        _stop.Dispose();
    }
}
