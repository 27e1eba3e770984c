using System.Text.Json.Nodes;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>
/// <c>session.logon</c> (Binance's web-socket-api.md "Session authentication"): an Ed25519 key logs the connection on,
/// <c>userDataStream.subscribe</c> then needs no signature, <c>session.status</c> and <c>session.logout</c> answer the
/// session's shape, and logout ends only the logged-on subscription.
/// </summary>
public sealed class SessionLogonTests
{
    private const string Ed25519Key = SimApiKey.VeloZTestEd25519ApiKey;

    private static async Task<JsonNode> LogonAsync(TestVenue venue, WsTestClient ws, string apiKey, Func<string, string> sign, string id = "logon")
    {
        var timestamp = venue.NowMs;
        var signature = sign($"apiKey={apiKey}&timestamp={timestamp}");
        await ws.SendAsync($$$"""{"id":"{{{id}}}","method":"session.logon","params":{"apiKey":"{{{apiKey}}}","timestamp":{{{timestamp}}},"signature":"{{{signature}}}"}}""");
        return await ws.ResponseAsync(id);
    }

    private static async Task<JsonNode> CallAsync(WsTestClient ws, string method, string id)
    {
        await ws.SendAsync($$"""{"id":"{{id}}","method":"{{method}}"}""");
        return await ws.ResponseAsync(id);
    }

    [Fact]
    public async Task An_ed25519_key_logs_on_and_subscribes_without_a_signature()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);

        var logon = await LogonAsync(venue, ws, Ed25519Key, p => Ed25519KeyTests.Sign(SimApiKey.VeloZTestEd25519PrivateKeyPem, p));
        Assert.Equal(200, (int)logon["status"]!);
        var session = logon["result"]!.AsObject();
        Assert.Equal(["apiKey", "authorizedSince", "connectedSince", "returnRateLimits", "serverTime", "userDataStream"], session.Select(p => p.Key));
        Assert.Equal(Ed25519Key, (string?)session["apiKey"]);
        Assert.False((bool)session["userDataStream"]!);

        var subscribed = await CallAsync(ws, "userDataStream.subscribe", "sub");
        Assert.Equal(200, (int)subscribed["status"]!);
        Assert.Equal(0, (int)subscribed["result"]!["subscriptionId"]!);
        Assert.True((bool)(await CallAsync(ws, "session.status", "status"))["result"]!["userDataStream"]!);

        // The logged-on account's orders arrive on the subscription.
        var payload = $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newClientOrderId=logon-1&timestamp={venue.NowMs}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{payload}&signature={Uri.EscapeDataString(Ed25519KeyTests.Sign(SimApiKey.VeloZTestEd25519PrivateKeyPem, payload))}");
        request.Headers.Add("X-MBX-APIKEY", Ed25519Key);
        using var placed = await venue.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(placed.IsSuccessStatusCode);
        var report = (await ws.NextAsync())["event"]!;
        Assert.Equal("executionReport", (string?)report["e"]);
        Assert.Equal("logon-1", (string?)report["c"]);
    }

    [Fact]
    public async Task Logout_ends_the_logged_on_subscription_and_keeps_the_socket()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);
        await LogonAsync(venue, ws, Ed25519Key, p => Ed25519KeyTests.Sign(SimApiKey.VeloZTestEd25519PrivateKeyPem, p));
        await CallAsync(ws, "userDataStream.subscribe", "sub");

        var logout = await CallAsync(ws, "session.logout", "logout");
        var terminated = await ws.NextAsync();

        Assert.Equal(200, (int)logout["status"]!);
        Assert.Null(logout["result"]!["apiKey"]);
        Assert.Null(logout["result"]!["authorizedSince"]);
        Assert.Equal("eventStreamTerminated", (string?)terminated["event"]!["e"]);
        Assert.Equal(0, (int)terminated["subscriptionId"]!);
        var again = await CallAsync(ws, "userDataStream.subscribe", "sub-again");
        Assert.Equal(-2015, (int)again["error"]!["code"]!);
    }

    [Fact]
    public async Task An_hmac_key_cannot_log_on_and_nobody_subscribes_without_logging_on()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);

        var notLoggedOn = await CallAsync(ws, "userDataStream.subscribe", "early");
        var hmac = await LogonAsync(venue, ws, TestVenue.Key, p => Hmac.Sign(TestVenue.Secret, p));
        var badSignature = await LogonAsync(venue, ws, Ed25519Key, p => Hmac.Sign(TestVenue.Secret, p), "bad");

        Assert.Equal(401, (int)notLoggedOn["status"]!);
        Assert.Equal(-2015, (int)notLoggedOn["error"]!["code"]!);
        Assert.Equal(401, (int)hmac["status"]!);
        Assert.Equal(-2015, (int)hmac["error"]!["code"]!);
        Assert.Equal(-1022, (int)badSignature["error"]!["code"]!);
        Assert.Null((await CallAsync(ws, "session.status", "status"))["result"]!["apiKey"]);
    }
}
