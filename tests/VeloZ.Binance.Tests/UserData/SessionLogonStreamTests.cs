using VeloZ.Binance.UserData;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;

namespace VeloZ.Binance.Tests.UserData;

/// <summary>
/// Which way the user data stream subscribes: an Ed25519 key logs the connection on with <c>session.logon</c> and
/// subscribes with <c>userDataStream.subscribe</c>; an HMAC key (which Binance does not log on) subscribes with the
/// signed <c>userDataStream.subscribe.signature</c>. Either way the account's events arrive.
/// </summary>
public sealed class SessionLogonStreamTests
{
    [Fact]
    public async Task An_ed25519_key_logs_on_then_subscribes_and_receives_its_accounts_events()
    {
        await using var harness = await UserDataHarness.StartAsync(o => o with
        {
            ApiKey = new Secret(SimApiKey.VeloZTestEd25519ApiKey),
            ApiSecret = new Secret(SimApiKey.VeloZTestEd25519PrivateKeyPem),
        });

        harness.Venue.Accounts.Deposit(SimApiKey.VeloZTestEd25519ApiKey, "USDT", 125m);
        var deposit = await harness.WaitForAsync<BalanceUpdate>(_ => true);

        Assert.Equal(1, harness.Stream.Logons);
        Assert.Equal(1, harness.Stream.Subscriptions);
        Assert.Equal(("USDT", 125m), (deposit.Asset, deposit.Delta));
        Assert.DoesNotContain(harness.Logs, l => l.Contains("session.logon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ed25519_key_whose_logon_is_refused_subscribes_with_a_signature_and_does_not_log_on_again()
    {
        await using var harness = await UserDataHarness.StartAsync(
            o => o with
            {
                ApiKey = new Secret(SimApiKey.VeloZTestEd25519ApiKey),
                ApiSecret = new Secret(SimApiKey.VeloZTestEd25519PrivateKeyPem),
            },
            beforeStream: venue => venue.Faults.RefuseSessionLogon = true);

        harness.Venue.Faults.DropWebSockets();
        await harness.WaitForAsync<UserStreamConnected>(c => c.Reason != UserStreamConnectReason.Initial);
        harness.Venue.Accounts.Deposit(SimApiKey.VeloZTestEd25519ApiKey, "USDT", 5m);
        await harness.WaitForAsync<BalanceUpdate>(_ => true);

        Assert.Equal(0, harness.Stream.Logons);
        Assert.Equal(2, harness.Stream.Subscriptions);
        Assert.Single(harness.Logs, l => l.Contains("refused session.logon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_hmac_key_subscribes_with_a_signature_and_never_logs_on()
    {
        await using var harness = await UserDataHarness.StartAsync();

        harness.Venue.Accounts.Deposit(UserDataHarness.Key, "USDT", 10m);
        await harness.WaitForAsync<BalanceUpdate>(_ => true);

        Assert.Equal(0, harness.Stream.Logons);
        Assert.Equal(1, harness.Stream.Subscriptions);
    }
}
