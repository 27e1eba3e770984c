using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Http;
using VeloZ.Functions.Push;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/stream</c>: Server-Sent Events in the original wire format (<c>id</c>, <c>event</c>, <c>data</c>).
/// With <c>?last_id=N</c> or the <c>Last-Event-ID</c> header, every retained event after N is sent first from
/// the event log, then the stream continues live: the live subscription starts before the log is read and
/// anything already sent is skipped, so there is no gap and no duplicate at the seam. One response replays at
/// most <c>VELOZ_STREAM_REPLAY_MAX</c> events: a client further behind gets that many, then the response ends
/// and the client resumes from the last id it got. One key holds at most <c>VELOZ_STREAMS_PER_KEY</c> streams
/// (429 <c>rate_limited</c> beyond); a revoked key's streams end (<see cref="OpenStreams"/>). <c>: keep-alive</c>
/// after 10 s without events; every event is flushed at once. A client too slow to keep up is dropped
/// (the response ends) and resumes by id. Under the Functions host a response ends cleanly before the
/// host's 230 s limit; <c>EventSource</c> reconnects with <c>Last-Event-ID</c> on its own.
/// </summary>
public sealed partial class StreamFunction(EventBroadcaster broadcaster, EventLogRepository log, OpenStreams streams, ApiHost host, ApiOptions options, ApiMetrics metrics, TimeProvider clock, ILogger<StreamFunction> logger)
{
    public static readonly TimeSpan KeepAliveAfter = TimeSpan.FromSeconds(10);
    private const int ReplayPage = 500;
    private static readonly TimeSpan s_streamsFullRetry = TimeSpan.FromSeconds(5);
    private static readonly byte[] s_keepAlive = ": keep-alive\n\n"u8.ToArray();

    [Function("Stream")]
    public async Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/stream")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        if (!TryReadResumeId(request, out var resumeFrom, out var problem))
        {
            await ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, problem, "last_id")
                .ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext { HttpContext = request.HttpContext });
            return;
        }

        using var lease = streams.TryOpen(request.HttpContext.Caller());
        if (lease is null)
        {
            await ApiErrorWriter.WriteAsync(request.HttpContext, StatusCodes.Status429TooManyRequests, ApiErrors.RateLimited, $"This key already holds {options.StreamsPerKey} open streams; close one first.", s_streamsFullRetry);
            return;
        }

        var lifetime = Lifetime();
        using var ended = lifetime is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
        // The lease ends when the key is revoked.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted, ended.Token, lease.Ended);
        var token = linked.Token;

        var subscriber = broadcaster.Subscribe();
        try
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            request.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(token);
            await response.Body.FlushAsync(token);

            var lastSent = resumeFrom ?? long.MinValue;
            if (resumeFrom is { } from)
            {
                (lastSent, var complete) = await ReplayAsync(response, from, token);
                if (!complete)
                {
                    // A client this far behind takes the rest in further responses: EventSource reconnects at
                    // once with Last-Event-ID, so it misses nothing and no single response replays without end.
                    return;
                }
            }

            await LiveAsync(response, subscriber, lastSent, token);
        }
        catch (OperationCanceledException)
        {
            // The client left, or the response reached its lifetime: EventSource resumes by id.
        }
        catch (IOException)
        {
            // The client went away mid-write.
        }
        catch (StorageUnavailableException ex)
        {
            // The replay could not be read: end the stream; the client retries with the same id.
            LogReplayFailed(logger, ex.Message);
        }
        finally
        {
            broadcaster.Unsubscribe(subscriber);
        }
    }

    private TimeSpan? Lifetime()
    {
        TimeSpan? configured = options.StreamMaxSeconds > 0 ? TimeSpan.FromSeconds(options.StreamMaxSeconds) : null;
        if (!host.UnderFunctionsHost)
        {
            return configured;
        }

        return configured is { } c && c < ApiHost.FunctionsStreamLimit ? c : ApiHost.FunctionsStreamLimit;
    }

    /// <summary>Sends retained events after <paramref name="from"/>, at most <c>VELOZ_STREAM_REPLAY_MAX</c>; false when more remain.</summary>
    private async Task<(long LastSent, bool Complete)> ReplayAsync(HttpResponse response, long from, CancellationToken token)
    {
        var lastSent = from;
        var left = options.StreamReplayMax;
        while (true)
        {
            var want = Math.Min(ReplayPage, left);
            var page = await log.ReadAfterAsync(lastSent, want, token);
            foreach (var e in page)
            {
                await response.Body.WriteAsync(e.ToSseFrame(), token);
                lastSent = e.Id;
            }

            await response.Body.FlushAsync(token);
            metrics.Replayed(page.Count);
            left -= page.Count;
            if (page.Count < want)
            {
                return (lastSent, true);
            }

            if (left <= 0)
            {
                // Exactly at the cap: the response ends unless nothing newer is logged.
                return (lastSent, (await log.ReadAfterAsync(lastSent, 1, token)).Count == 0);
            }
        }
    }

    private static async Task LiveAsync(HttpResponse response, EventBroadcaster.Subscriber subscriber, long lastSent, CancellationToken token)
    {
        var reader = subscriber.Reader;
        var body = response.BodyWriter;
        // One idle timer per stream, pushed back after every write: no token source or timer per event, which
        // with thousands of subscribers would be most of the fan-out's cost.
        var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
        try
        {
            while (true)
            {
                idle.CancelAfter(KeepAliveAfter);
                bool ready;
                try
                {
                    ready = await reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    body.Write(s_keepAlive);
                    await body.FlushAsync(token);
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(token);
                    continue;
                }

                if (!ready)
                {
                    // Dropped for falling behind: end the response; the client resumes from its last id.
                    return;
                }

                // Everything waiting goes out in one flush.
                while (reader.TryRead(out var item))
                {
                    if (item.Id <= lastSent)
                    {
                        continue;
                    }

                    body.Write(item.Frame);
                    lastSent = item.Id;
                }

                await body.FlushAsync(token);
            }
        }
        finally
        {
            idle.Dispose();
        }
    }

    private static bool TryReadResumeId(HttpRequest request, out long? resumeFrom, out string? problem)
    {
        resumeFrom = null;
        problem = null;
        string? text = request.Query.TryGetValue("last_id", out var query) ? query.ToString()
            : request.Headers.TryGetValue("Last-Event-ID", out var header) ? header.ToString() : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            resumeFrom = id;
            return true;
        }

        problem = "last_id must be a whole number of 0 or more";
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream replay failed ({Reason}); the client retries")]
    private static partial void LogReplayFailed(ILogger logger, string reason);
}
