using VeloZ.Binance.UserData;

namespace VeloZ.Binance.Tests.UserData;

/// <summary>Make-before-break switches (serverShutdown, planned rotation): no event is lost, duplicates are allowed.</summary>
public sealed class UserDataStreamSwitchTests
{
    [Fact]
    public async Task Server_shutdown_switches_connections_make_before_break_without_losing_a_fill()
    {
        await using var harness = await UserDataHarness.StartAsync();
        var order = await harness.PlaceBuyAsync(1m);
        await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == order);

        Assert.Equal(1, harness.Venue.Faults.AnnounceServerShutdown());
        harness.Venue.Market.SetPrice("BTCUSDT", 48_990m); // partial fill while the switch is under way
        var burst = FillAsync(harness, 10);
        var switched = await harness.WaitForAsync<UserStreamConnected>(c => c.Reason == UserStreamConnectReason.ServerShutdown);
        Assert.False(switched.MayHaveMissedEvents);
        harness.Venue.Market.SetPrice("BTCUSDT", 48_980m); // final fill on the new connection
        await burst;
        await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == order && r.Status == "FILLED");
        await UserDataHarness.EventuallyAsync(() => harness.Stream.Rotations == 1, what: "the old connection retired");

        await AssertNoFillLostAsync(harness);
        AssertRetiredCleanly(harness, atLeast: 1);
        Assert.DoesNotContain(harness.Events, e => e is UserStreamDisconnected or UserStreamTerminated);
        Assert.Equal((2, 2, 0, 0), (harness.Stream.ConnectionsOpened, harness.Stream.Subscriptions, harness.Stream.Reconnects, harness.Stream.Failures));
        Assert.True(harness.Stream.IsConnected);
        await UserDataHarness.EventuallyAsync(() => harness.Venue.Counters.WebSocketsOpen == 1, what: "the old connection closed");
    }

    [Fact]
    public async Task Planned_rotation_before_the_lifetime_ends_loses_no_fill()
    {
        await using var harness = await UserDataHarness.StartAsync(o => o with { RotateAfter = TimeSpan.FromMilliseconds(600) });

        // Keep filling orders until the stream has rotated twice, so fills land before, during and after each switch.
        var placed = 0;
        while (harness.Stream.Rotations < 2 && placed < 150)
        {
            await FillAsync(harness, 1);
            placed++;
            await Task.Delay(15, TestContext.Current.CancellationToken); // pacing, so the switches fall between fills
        }

        Assert.True(harness.Stream.Rotations >= 2, $"only {harness.Stream.Rotations} rotations after {placed} fills");
        var last = await harness.PlaceBuyAsync(0.01m);
        harness.Venue.Market.SetPrice("BTCUSDT", 48_950m);
        await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == last && r.Status == "FILLED");

        await AssertNoFillLostAsync(harness);
        AssertRetiredCleanly(harness, atLeast: 2);
        Assert.DoesNotContain(harness.Events, e => e is UserStreamDisconnected or UserStreamTerminated);
        Assert.All(harness.Events.OfType<UserStreamConnected>().Skip(1), c => Assert.Equal(UserStreamConnectReason.Rotation, c.Reason));
        Assert.Equal(0, harness.Stream.Reconnects);
        Assert.Equal(0, harness.Stream.Failures);
        harness.AssertNoSecretsInLogs();
    }

    /// <summary>Places <paramref name="count"/> small BUYs that fill at once as takers (a fresh tick before each one).</summary>
    private static async Task FillAsync(UserDataHarness harness, int count)
    {
        for (var i = 0; i < count; i++)
        {
            harness.Venue.Market.SetPrice("BTCUSDT", i % 2 == 0 ? 48_960m : 48_970m);
            await harness.PlaceBuyAsync(0.01m);
        }
    }

    /// <summary>Each replaced connection unsubscribed and saw the venue's eventStreamTerminated before it closed.</summary>
    private static void AssertRetiredCleanly(UserDataHarness harness, int atLeast)
    {
        // A later rotation may be under way, so at least the ones counted so far.
        var switches = harness.Logs.Where(l => l.StartsWith("User data stream switched", StringComparison.Ordinal)).ToList();
        Assert.True(switches.Count >= atLeast, $"{switches.Count} switches logged");
        Assert.All(switches, l => Assert.EndsWith("confirmed by the venue: True", l, StringComparison.Ordinal));
    }

    /// <summary>Every fill the venue recorded arrives at least once (duplicates from the overlap are fine).</summary>
    private static async Task AssertNoFillLostAsync(UserDataHarness harness)
    {
        var venueTrades = await harness.VenueTradeIdsAsync();
        await UserDataHarness.EventuallyAsync(() => venueTrades.IsSubsetOf(harness.StreamTradeIds()), what: $"fills missing: {string.Join(", ", venueTrades.Except(harness.StreamTradeIds()))}");
        Assert.Equal(venueTrades, harness.StreamTradeIds());
    }
}
