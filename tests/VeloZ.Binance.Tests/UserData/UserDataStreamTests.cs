using VeloZ.Binance.UserData;
using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Tests.UserData;

/// <summary>Subscribing and receiving against the simulated venue: order lifecycle, account updates, clock skew, bad credentials.</summary>
public sealed class UserDataStreamTests
{
    [Fact]
    public async Task Subscribes_and_receives_new_partial_trade_final_trade_and_account_updates()
    {
        await using var harness = await UserDataHarness.StartAsync();
        var connected = Assert.IsType<UserStreamConnected>(harness.Events[0]);
        Assert.Equal(UserStreamConnectReason.Initial, connected.Reason);
        Assert.True(connected.MayHaveMissedEvents);
        Assert.True(harness.Stream.IsConnected);

        var clientOrderId = await harness.PlaceBuyAsync(1m);
        var created = await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == clientOrderId);
        Assert.Equal(("NEW", "NEW", "BUY", "LIMIT", "GTC"), (created.ExecutionType, created.Status, created.Side, created.OrderType, created.TimeInForce));
        Assert.Equal((1m, 49_000m, 0m, -1L), (created.Quantity, created.Price, created.CumulativeQuantity, created.TradeId));
        var locked = await harness.WaitForAsync<AccountPositionUpdate>(_ => true);
        Assert.Equal(new AccountBalance("USDT", 51_000m, 49_000m), locked.Balances.Single(b => b.Asset == "USDT"));

        harness.Venue.Market.SetPrice("BTCUSDT", 48_990m);
        var partial = await harness.WaitForAsync<ExecutionReport>(r => r.Status == "PARTIALLY_FILLED");
        Assert.Equal(("TRADE", 0.6m, 49_000m, 0.6m, 29_400m), (partial.ExecutionType, partial.LastQuantity, partial.LastPrice, partial.CumulativeQuantity, partial.CumulativeQuoteQuantity));
        Assert.Equal((0.0006m, "BTC"), (partial.Commission, partial.CommissionAsset));
        Assert.True(partial.TradeId > 0);
        Assert.Equal(created.OrderId, partial.OrderId);

        harness.Venue.Market.SetPrice("BTCUSDT", 48_980m);
        var final = await harness.WaitForAsync<ExecutionReport>(r => r.Status == "FILLED");
        Assert.Equal(("TRADE", 0.4m, 1m), (final.ExecutionType, final.LastQuantity, final.CumulativeQuantity));
        Assert.True(final.TradeId > partial.TradeId);
        var settled = await harness.WaitForAsync<AccountPositionUpdate>(_ => true, skip: 2);
        Assert.Equal(new AccountBalance("BTC", 2.999m, 0m), settled.Balances.Single(b => b.Asset == "BTC"));

        harness.Venue.Accounts.Deposit(UserDataHarness.Key, "USDT", 250m);
        var deposit = await harness.WaitForAsync<BalanceUpdate>(_ => true);
        Assert.Equal(("USDT", 250m), (deposit.Asset, deposit.Delta));

        // Venue time and our receive time are both carried; the order of events is the venue's.
        var reports = harness.Events.OfType<ExecutionReport>().ToList();
        Assert.Equal(["NEW", "PARTIALLY_FILLED", "FILLED"], reports.Select(r => r.Status));
        Assert.All(reports, r => Assert.True(Math.Abs((r.ReceivedAt - r.EventTime).TotalSeconds) < 30));
        Assert.Equal((1, 1, 0, 0), (harness.Stream.ConnectionsOpened, harness.Stream.Subscriptions, harness.Stream.Reconnects, harness.Stream.Failures));
        Assert.Equal(await harness.VenueTradeIdsAsync(), harness.StreamTradeIds());
        harness.AssertNoSecretsInLogs();
    }

    [Fact]
    public async Task Clock_skew_is_answered_minus_1021_then_the_clock_is_resynced_and_the_subscription_succeeds()
    {
        // The venue runs 10 s behind: our unsynchronised timestamp is "1000ms ahead of the server's time".
        await using var harness = await UserDataHarness.StartAsync(beforeStream: venue => venue.Faults.ClockSkew = TimeSpan.FromSeconds(-10));

        Assert.True(harness.Stream.IsConnected);
        Assert.Equal((1, 1, 0), (harness.Stream.ConnectionsOpened, harness.Stream.Subscriptions, harness.Stream.Failures));
        Assert.InRange(harness.Rest.ServerClock.OffsetMs, -11_000, -9_000);
        Assert.Contains(harness.Logs, l => l.Contains("rejected the user data subscription's timestamp", StringComparison.Ordinal));

        var clientOrderId = await harness.PlaceBuyAsync(0.1m);
        await harness.WaitForAsync<ExecutionReport>(r => r.ClientOrderId == clientOrderId);
        harness.AssertNoSecretsInLogs();
    }

    [Fact]
    public async Task A_418_ban_on_the_subscription_is_waited_out_until_the_venue_retry_after_and_rest_shows_the_halt()
    {
        DateTimeOffset? bannedUntil = null;
        await using var harness = await UserDataHarness.StartAsync(
            beforeStream: venue =>
            {
                venue.Faults.Ban(TimeSpan.FromSeconds(1.5));
                bannedUntil = venue.Faults.BannedUntil;
            },
            waitConnected: false);

        await UserDataHarness.EventuallyAsync(() => harness.Stream.Failures == 1, what: "the banned subscription");
        var audit = Assert.Single(harness.Logs, l => l.StartsWith("[AUDIT] binance_ws_error", StringComparison.Ordinal));
        Assert.Contains("subscribe_rejected status=418 code=-1003", audit, StringComparison.Ordinal);
        Assert.False(harness.Stream.IsConnected);

        // REST meanwhile: the 418 halts trading and the halt is visible.
        var refused = await harness.Rest.PingAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Rest.BinanceOutcomeKind.Banned, refused.Kind);
        Assert.NotNull(harness.Rest.RateGate.HaltedUntil);

        // The stream does not knock again before the venue's retryAfter, then subscribes.
        var connected = await harness.WaitForAsync<UserStreamConnected>(_ => true);
        Assert.True(harness.Stream.Failures == 1, string.Join("\n", harness.Logs));
        Assert.True(connected.ReceivedAt >= bannedUntil!.Value - TimeSpan.FromMilliseconds(50), $"subscribed at {connected.ReceivedAt:O}, ban until {bannedUntil:O}");
        Assert.Equal(UserStreamConnectReason.Initial, connected.Reason);
        harness.AssertNoSecretsInLogs();
    }

    [Fact]
    public async Task A_rejected_subscription_is_audited_and_retried_with_back_off_without_revealing_credentials()
    {
        const string WrongSecret = "WrongSecretWrongSecretWrongSecretWrongSecretWrongSecretWrongSec0";
        await using var harness = await UserDataHarness.StartAsync(o => o with { ApiSecret = new Secret(WrongSecret) }, waitConnected: false);

        await UserDataHarness.EventuallyAsync(() => harness.Stream.Failures >= 3, what: "three failed subscriptions");

        Assert.False(harness.Stream.IsConnected);
        Assert.Equal(0, harness.Stream.Subscriptions);
        Assert.True(harness.Stream.ConnectionsOpened >= 3);
        var audits = harness.Logs.Where(l => l.StartsWith("[AUDIT] binance_ws_error", StringComparison.Ordinal)).ToList();
        Assert.True(audits.Count >= 3);
        Assert.All(audits, l => Assert.Contains("subscribe_rejected status=400 code=-1022", l, StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Events, e => e is UserStreamConnected);
        Assert.All(harness.Logs, l => Assert.DoesNotContain(WrongSecret, l, StringComparison.Ordinal));
        harness.AssertNoSecretsInLogs();
    }
}
