using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Events;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Push;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Tests.Runtime;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>The SSE fan-out and the stream function without a network: order, gaps, slow clients, keep-alive.</summary>
public sealed class StreamTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<EventLogRepository> LogAsync()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        return new EventLogRepository(store);
    }

    private static GatewayEvent Error(long id) => EventPayloads.Error(id, "e" + id) with { Id = id };

    private static List<long> Drain(EventBroadcaster.Subscriber subscriber)
    {
        var ids = new List<long>();
        while (subscriber.Reader.TryRead(out var item))
        {
            ids.Add(item.Id);
        }

        return ids;
    }

    [Fact]
    public async Task The_fan_out_drops_duplicates_and_fills_a_gap_from_the_log_in_order()
    {
        var log = await LogAsync();
        await log.AppendAsync([Error(2), Error(3), Error(4)], Ct);
        var broadcaster = new EventBroadcaster(log, NullLogger<EventBroadcaster>.Instance);
        var subscriber = broadcaster.Subscribe();

        await broadcaster.DeliverAsync(Error(1), Ct);
        await broadcaster.DeliverAsync(Error(5), Ct);
        await broadcaster.DeliverAsync(Error(3), Ct);
        await broadcaster.DeliverAsync(Error(6), Ct);

        Assert.Equal([1L, 2, 3, 4, 5, 6], Drain(subscriber));
        Assert.Equal(6, broadcaster.LastId);
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_dropped_without_holding_up_the_others()
    {
        var broadcaster = new EventBroadcaster(await LogAsync(), NullLogger<EventBroadcaster>.Instance);
        var slow = broadcaster.Subscribe(capacity: 2);
        var fast = broadcaster.Subscribe(capacity: 100);
        for (var id = 1; id <= 5; id++)
        {
            await broadcaster.DeliverAsync(Error(id), Ct);
            Assert.Equal([(long)id], Drain(fast));
        }

        Assert.True(slow.Overflowed);
        Assert.Equal([1L, 2], Drain(slow));
        Assert.True(slow.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task An_idle_stream_sends_a_keep_alive_comment_after_ten_seconds()
    {
        var log = await LogAsync();
        var broadcaster = new EventBroadcaster(log, NullLogger<EventBroadcaster>.Instance);
        var function = new StreamFunction(broadcaster, log, new OpenStreams(new ApiOptions()), new ApiHost(false), new ApiOptions(), new ApiMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<StreamFunction>.Instance);
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(StreamFunction.KeepAliveAfter + TimeSpan.FromSeconds(2));

        var run = function.RunAsync(context.Request, stop.Token);
        await Task.Delay(200, Ct);
        await broadcaster.DeliverAsync(Error(41), Ct);
        await run;

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal("text/event-stream; charset=utf-8", context.Response.ContentType);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
        Assert.StartsWith("id: 41\nevent: error\ndata: {\"type\":\"error\",\"ts_ns\":41,\"message\":\"e41\"}\n\n", text, StringComparison.Ordinal);
        Assert.EndsWith(": keep-alive\n\n", text, StringComparison.Ordinal);
        Assert.Equal(0, broadcaster.SubscriberCount);
    }
    [Fact]
    public async Task A_resume_replays_at_most_the_replay_cap_per_response_and_the_next_resume_continues_without_a_gap()
    {
        var log = await LogAsync();
        await log.AppendAsync([.. Enumerable.Range(1, 250).Select(i => Error(i))], Ct);
        var options = new GatewayOptions { Api = new() { StreamReplayMax = 100 } };
        var broadcaster = new EventBroadcaster(log, NullLogger<EventBroadcaster>.Instance);
        using var meters = new TestMeterFactory();
        var metrics = new ApiMetrics(meters);
        long replayed = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "veloz.api.stream.replayed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref replayed, value));
        listener.Start();
        var function = new StreamFunction(broadcaster, log, new OpenStreams(options.Api), new ApiHost(false), options.Api, metrics, TimeProvider.System, NullLogger<StreamFunction>.Instance);

        async Task<List<long>> ResumeAsync(long lastId, TimeSpan stopAfter)
        {
            var context = new DefaultHttpContext();
            var body = new MemoryStream();
            context.Response.Body = body;
            context.Request.Headers["Last-Event-ID"] = lastId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            stop.CancelAfter(stopAfter);
            await function.RunAsync(context.Request, stop.Token);
            return [.. Encoding.UTF8.GetString(body.ToArray()).Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture))];
        }

        // Far behind: the cap's worth, then the response ends by itself (long before the test's stop).
        var started = TimeProvider.System.GetTimestamp();
        Assert.Equal([.. Enumerable.Range(1, 100).Select(i => (long)i)], await ResumeAsync(0, TimeSpan.FromSeconds(30)));
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(20));
        Assert.Equal([.. Enumerable.Range(101, 100).Select(i => (long)i)], await ResumeAsync(100, TimeSpan.FromSeconds(30)));

        // Within the cap: the rest, then the stream stays live until stopped.
        Assert.Equal([.. Enumerable.Range(201, 50).Select(i => (long)i)], await ResumeAsync(200, TimeSpan.FromSeconds(1)));

        // Every replayed event is counted once.
        Assert.Equal(250, Interlocked.Read(ref replayed));
    }
}
