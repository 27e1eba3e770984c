using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Market;
using VeloZ.Storage;
using VeloZ.Worker.MarketData;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Tests.MarketData;

public sealed class MarketPipelineTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class RecordingStore : IMarketTickStore
    {
        public ConcurrentQueue<MarketTick> Writes { get; } = new();

        public Task UpsertLatestAsync(MarketTick tick, CancellationToken cancellationToken)
        {
            Writes.Enqueue(tick);
            return Task.CompletedTask;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    /// <summary>
    /// Moves the fake clock in small steps until the condition holds: a background loop may register
    /// its timer just after an advance, and a single jump would then never fire it.
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider clock, TimeSpan step, Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            clock.Advance(step);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Fast_ticks_are_conflated_into_bounded_writes_of_the_latest_price()
    {
        var clock = new FakeTimeProvider(s_start);
        var buffer = new LatestTickBuffer();
        var store = new RecordingStore();
        using var writer = new MarketTickWriter(buffer, store, clock, NullLogger<MarketTickWriter>.Instance);
        await writer.StartAsync(TestContext.Current.CancellationToken);

        buffer.Publish(new MarketTick("BTCUSDT", 1m, 1, 1));
        await WaitUntil(() => store.Writes.Count == 1);
        for (var i = 2; i <= 100; i++)
        {
            buffer.Publish(new MarketTick("BTCUSDT", i, i, i));
        }

        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Single(store.Writes);

        var before = clock.GetUtcNow();
        await AdvanceUntil(clock, TimeSpan.FromMilliseconds(50), () => store.Writes.Count == 2);
        Assert.True(clock.GetUtcNow() - before >= MarketTickWriter.MinWriteInterval);
        Assert.Equal(100m, store.Writes.Last().Price);

        await writer.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_failing_feed_is_reported_and_restarted()
    {
        var clock = new FakeTimeProvider(s_start);
        var state = new WorkerState(clock);
        var feed = new FlakyFeed();
        using var service = new MarketFeedService(() => feed, new LatestTickBuffer(), new VeloZ.Worker.Events.EventInbox(clock), state, clock, NullLogger<MarketFeedService>.Instance);

        await service.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntil(() => state.Snapshot(clock.GetUtcNow()).MarketFeedState == MarketFeedStates.Error);
        Assert.Equal("market_source_error", state.Snapshot(clock.GetUtcNow()).MarketFeedError);

        await AdvanceUntil(clock, TimeSpan.FromMilliseconds(100), () => state.Snapshot(clock.GetUtcNow()).MarketFeedState == MarketFeedStates.Running);
        Assert.Equal(2, feed.Starts);
        Assert.Null(state.Snapshot(clock.GetUtcNow()).MarketFeedError);

        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    private sealed class FlakyFeed : IMarketFeed
    {
        private int _starts;

        public int Starts => _starts;

        public string Name => "flaky";

        public async IAsyncEnumerable<MarketTick> ReadTicksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _starts) == 1)
            {
                throw new HttpRequestException("connection refused");
            }

            yield return new MarketTick("BTCUSDT", 1m, 1, 1);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
