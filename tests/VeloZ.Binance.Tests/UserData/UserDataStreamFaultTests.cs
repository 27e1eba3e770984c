using System.Globalization;
using System.Text.RegularExpressions;
using VeloZ.Binance.UserData;

namespace VeloZ.Binance.Tests.UserData;

/// <summary>Lost connections: dropped sockets, the 24 h end, silence, an unreachable venue. Each is reconnected with a fresh subscription.</summary>
public sealed partial class UserDataStreamFaultTests
{
    [Fact]
    public async Task A_socket_dropped_during_a_burst_of_fills_is_reconnected_and_resubscribed_and_new_events_flow()
    {
        await using var harness = await UserDataHarness.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await harness.PlaceBuyAsync(0.3m);
        }

        // A burst of fills at 49,000 (0.6 BTC per tick), with the drop in the middle of it.
        harness.Venue.Market.SetPrice("BTCUSDT", 48_990m);
        Assert.Equal(1, harness.Venue.Faults.DropWebSockets());
        harness.Venue.Market.SetPrice("BTCUSDT", 48_980m);

        var disconnected = await harness.WaitForAsync<UserStreamDisconnected>(_ => true);
        Assert.Equal(UserStreamDisconnectReasons.Dropped, disconnected.Reason);
        var reconnected = await harness.WaitForAsync<UserStreamConnected>(c => c.Reason == UserStreamConnectReason.Reconnect);
        Assert.True(reconnected.MayHaveMissedEvents);
        Assert.True(reconnected.ConnectionId > disconnected.ConnectionId);
        Assert.True(harness.Stream.IsConnected);
        Assert.Equal((2, 2, 1), (harness.Stream.ConnectionsOpened, harness.Stream.Subscriptions, harness.Stream.Reconnects));
        Assert.Contains(harness.Logs, l => l.StartsWith("[AUDIT] binance_ws_error: user data stream dropped", StringComparison.Ordinal));

        // Fills while no subscription was active are lost by the venue's design (the worker reconciles over REST);
        // everything after the new subscription arrives.
        var afterReconnect = await harness.PlaceBuyAsync(0.5m);
        harness.Venue.Market.SetPrice("BTCUSDT", 48_970m);
        var filled = await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == afterReconnect && r.Status == "FILLED");
        var events = harness.Events;
        Assert.True(IndexOf(events, reconnected) < IndexOf(events, filled));
        Assert.True(IndexOf(events, disconnected) < IndexOf(events, reconnected));
        Assert.Subset(await harness.VenueTradeIdsAsync(), harness.StreamTradeIds());
        harness.AssertNoSecretsInLogs();
    }

    [Fact]
    public async Task The_end_of_the_connection_lifetime_terminates_the_subscription_and_the_stream_resubscribes()
    {
        await using var harness = await UserDataHarness.StartAsync();

        Assert.Equal(1, harness.Venue.Faults.EndStreams());

        await harness.WaitForAsync<UserStreamTerminated>(_ => true);
        var disconnected = await harness.WaitForAsync<UserStreamDisconnected>(_ => true);
        Assert.Equal(UserStreamDisconnectReasons.Terminated, disconnected.Reason);
        await harness.WaitForAsync<UserStreamConnected>(c => c.Reason == UserStreamConnectReason.Reconnect);
        var clientOrderId = await harness.PlaceBuyAsync(0.1m);
        await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == clientOrderId);
        Assert.Equal(1, harness.Stream.Reconnects);
    }

    [Fact]
    public async Task A_silent_connection_is_declared_dead_after_the_silence_timeout_and_replaced()
    {
        await using var harness = await UserDataHarness.StartAsync(o => o with
        {
            ProbeInterval = TimeSpan.FromMilliseconds(200),
            SilenceTimeout = TimeSpan.FromMilliseconds(800),
        });

        // Probes are answered while the venue is healthy: a quiet account is not a dead one.
        await UserDataHarness.EventuallyAsync(() => harness.Logs.Count(l => l.Contains("subscribed", StringComparison.Ordinal)) == 1);
        await Task.Delay(1200, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(harness.Events, e => e is UserStreamDisconnected);

        // Now every message of the venue comes 10 s late: the probe's answer never arrives in time.
        harness.Venue.Faults.MessageDelay = TimeSpan.FromSeconds(10);
        var disconnected = await harness.WaitForAsync<UserStreamDisconnected>(_ => true);
        Assert.Equal(UserStreamDisconnectReasons.Silence, disconnected.Reason);
        harness.Venue.Faults.MessageDelay = TimeSpan.Zero;
        await harness.WaitForAsync<UserStreamConnected>(c => c.Reason == UserStreamConnectReason.Reconnect);
    }

    [Fact]
    public async Task Back_off_grows_while_the_venue_is_unreachable_and_the_stream_recovers_when_it_returns()
    {
        await using var harness = await UserDataHarness.StartAsync(o => o with
        {
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(40),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(640),
        });
        var port = harness.Venue.Port;

        await harness.StopVenueAsync();
        await harness.WaitForAsync<UserStreamDisconnected>(_ => true);
        Assert.False(harness.Stream.IsConnected);
        await UserDataHarness.EventuallyAsync(() => harness.Stream.Failures >= 6, what: "six failures while the venue is down");

        // Equal jitter keeps each delay at least as long as the one before, until the cap.
        var delays = harness.Logs
            .Select(l => RetryIn().Match(l))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Take(5)
            .ToList();
        Assert.Equal(5, delays.Count);
        for (var i = 1; i < delays.Count; i++)
        {
            Assert.True(delays[i] >= delays[i - 1], $"delays should not shrink: {string.Join(", ", delays)}");
        }

        Assert.InRange(delays[0], 20, 40);
        Assert.InRange(delays[4], 320, 640);
        Assert.Equal(1, harness.Events.Count(e => e is UserStreamDisconnected));

        await harness.RestartVenueAsync(port);
        var back = await harness.WaitForAsync<UserStreamConnected>(c => c.Reason == UserStreamConnectReason.Reconnect);
        Assert.True(back.MayHaveMissedEvents);
        Assert.True(harness.Stream.IsConnected);
        var clientOrderId = await harness.PlaceBuyAsync(0.1m);
        await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == clientOrderId);
        harness.AssertNoSecretsInLogs();
    }

    private static int IndexOf(IReadOnlyList<UserDataEvent> events, UserDataEvent item)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (ReferenceEquals(events[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^\[AUDIT\] binance_ws_error: .*retrying in (\d+) ms")]
    private static partial Regex RetryIn();
}
