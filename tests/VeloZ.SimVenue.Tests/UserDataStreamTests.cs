using System.Net.WebSockets;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>User data over the WebSocket API (Binance's web-socket-api.md, user-data-stream.md): subscription, event envelopes and fields, termination.</summary>
public sealed class UserDataStreamTests
{
    private static readonly string[] s_executionReportFields =
        ["e", "E", "s", "c", "S", "o", "f", "q", "p", "P", "F", "g", "C", "x", "X", "r", "i", "l", "z", "L", "n", "N", "T", "t", "I", "w", "m", "M", "O", "Z", "Y", "Q", "W", "V"];

    internal static async Task<WsTestClient> SubscribeAsync(TestVenue venue, string key = TestVenue.Key, string secret = TestVenue.Secret, int expectedId = 0, WsTestClient? existing = null)
    {
        var ws = existing ?? await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);
        var timestamp = venue.NowMs;
        var signature = Hmac.Sign(secret, $"apiKey={key}&timestamp={timestamp}");
        var id = $"sub{expectedId}";
        await ws.SendAsync($$$"""{"id":"{{{id}}}","method":"userDataStream.subscribe.signature","params":{"apiKey":"{{{key}}}","timestamp":{{{timestamp}}},"signature":"{{{signature}}}"}}""");
        var response = await ws.ResponseAsync(id);
        Assert.Equal(200, (int)response["status"]!);
        Assert.Equal(expectedId, (int)response["result"]!["subscriptionId"]!);
        return ws;
    }

    private static JsonObject Event(JsonNode message, string type, int subscriptionId = 0)
    {
        var envelope = message.AsObject();
        Assert.Equal(["subscriptionId", "event"], envelope.Select(p => p.Key));
        Assert.Equal(subscriptionId, (int)envelope["subscriptionId"]!);
        var payload = envelope["event"]!.AsObject();
        Assert.Equal(type, (string?)payload["e"]);
        return payload;
    }

    private static Dictionary<string, (string Free, string Locked)> Balances(JsonObject position) =>
        position["B"]!.AsArray().ToDictionary(b => (string)b!["a"]!, b => ((string)b!["f"]!, (string)b["l"]!));

    [Fact]
    public async Task Subscription_delivers_new_partial_trade_final_trade_and_account_updates()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await SubscribeAsync(venue);

        var placed = await venue.LimitBuyAsync("1", "49000", "uds-1");
        var orderId = (long)placed.Object["orderId"]!;

        var created = Event(await ws.NextAsync(), "executionReport");
        Assert.Equal(s_executionReportFields, created.Select(p => p.Key));
        Assert.Equal("NEW", (string?)created["x"]);
        Assert.Equal("NEW", (string?)created["X"]);
        Assert.Equal("uds-1", (string?)created["c"]);
        Assert.Equal("", (string?)created["C"]);
        Assert.Equal("BTCUSDT", (string?)created["s"]);
        Assert.Equal("BUY", (string?)created["S"]);
        Assert.Equal("LIMIT", (string?)created["o"]);
        Assert.Equal("GTC", (string?)created["f"]);
        Assert.Equal("1.00000000", (string?)created["q"]);
        Assert.Equal("49000.00000000", (string?)created["p"]);
        Assert.Equal("0.00000000", (string?)created["z"]);
        Assert.Equal("0", (string?)created["n"]);
        Assert.Null(created["N"]);
        Assert.Equal(-1, (long)created["t"]!);
        Assert.Equal(-1, (long)created["g"]!);
        Assert.Equal("NONE", (string?)created["r"]);
        Assert.Equal(orderId, (long)created["i"]!);
        Assert.True((bool)created["w"]!);
        Assert.Equal(venue.NowMs, (long)created["E"]!);
        Assert.Equal(venue.NowMs, (long)created["O"]!);

        var locked = Event(await ws.NextAsync(), "outboundAccountPosition");
        Assert.Equal(["e", "E", "u", "B"], locked.Select(p => p.Key));
        Assert.Equal(("51000.00000000", "49000.00000000"), Balances(locked)["USDT"]);

        venue.Venue.Market.SetPrice("BTCUSDT", 48_990m);
        var partial = Event(await ws.NextAsync(), "executionReport");
        Assert.Equal("TRADE", (string?)partial["x"]);
        Assert.Equal("PARTIALLY_FILLED", (string?)partial["X"]);
        Assert.Equal("0.60000000", (string?)partial["l"]);
        Assert.Equal("49000.00000000", (string?)partial["L"]);
        Assert.Equal("0.60000000", (string?)partial["z"]);
        Assert.Equal("29400.00000000", (string?)partial["Z"]);
        Assert.Equal("29400.00000000", (string?)partial["Y"]);
        Assert.Equal("0.00060000", (string?)partial["n"]);
        Assert.Equal("BTC", (string?)partial["N"]);
        Assert.True((bool)partial["m"]!);
        Assert.True((bool)partial["w"]!);
        var firstTradeId = (long)partial["t"]!;
        Assert.True(firstTradeId > 0);
        Assert.True((long)partial["I"]! > (long)created["I"]!);
        var afterPartial = Balances(Event(await ws.NextAsync(), "outboundAccountPosition"));
        Assert.Equal(("2.59940000", "0.00000000"), afterPartial["BTC"]);
        Assert.Equal(("51000.00000000", "19600.00000000"), afterPartial["USDT"]);

        venue.Venue.Market.SetPrice("BTCUSDT", 48_980m);
        var final = Event(await ws.NextAsync(), "executionReport");
        Assert.Equal("TRADE", (string?)final["x"]);
        Assert.Equal("FILLED", (string?)final["X"]);
        Assert.Equal("0.40000000", (string?)final["l"]);
        Assert.Equal("1.00000000", (string?)final["z"]);
        Assert.False((bool)final["w"]!);
        Assert.True((long)final["t"]! > firstTradeId);
        var afterFinal = Balances(Event(await ws.NextAsync(), "outboundAccountPosition"));
        Assert.Equal(("2.99900000", "0.00000000"), afterFinal["BTC"]);
        Assert.Equal(("51000.00000000", "0.00000000"), afterFinal["USDT"]);

        venue.Venue.Accounts.Deposit(TestVenue.Key, "USDT", 250m);
        var deposit = Event(await ws.NextAsync(), "balanceUpdate");
        Assert.Equal(["e", "E", "a", "d", "T"], deposit.Select(p => p.Key));
        Assert.Equal("USDT", (string?)deposit["a"]);
        Assert.Equal("250.00000000", (string?)deposit["d"]);
        Assert.Equal(("51250.00000000", "0.00000000"), Balances(Event(await ws.NextAsync(), "outboundAccountPosition"))["USDT"]);
    }

    [Fact]
    public async Task Cancel_over_the_websocket_api_reports_canceled_with_both_client_ids()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await SubscribeAsync(venue);
        await venue.LimitBuyAsync("0.5", "49000", "orig-1");
        await ws.EventAsync("outboundAccountPosition");

        var timestamp = venue.NowMs;
        var payload = $"apiKey={TestVenue.Key}&newClientOrderId=cxl-1&origClientOrderId=orig-1&symbol=BTCUSDT&timestamp={timestamp}";
        await ws.SendAsync($$$"""{"id":"c","method":"order.cancel","params":{"symbol":"BTCUSDT","origClientOrderId":"orig-1","newClientOrderId":"cxl-1","timestamp":{{{timestamp}}},"apiKey":"{{{TestVenue.Key}}}","signature":"{{{Hmac.Sign(TestVenue.Secret, payload)}}}"}}""");

        var report = Event(await ws.NextAsync(), "executionReport");
        Assert.Equal("CANCELED", (string?)report["x"]);
        Assert.Equal("CANCELED", (string?)report["X"]);
        Assert.Equal("cxl-1", (string?)report["c"]);
        Assert.Equal("orig-1", (string?)report["C"]);
        Assert.Equal(("100000.00000000", "0.00000000"), Balances(Event(await ws.NextAsync(), "outboundAccountPosition"))["USDT"]);
        var response = await ws.ResponseAsync("c");
        Assert.Equal(200, (int)response["status"]!);
        Assert.Equal("CANCELED", (string?)response["result"]!["status"]);
        Assert.Equal("orig-1", (string?)response["result"]!["origClientOrderId"]);
    }

    [Fact]
    public async Task One_subscription_per_account_and_connection_many_accounts_per_connection()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await SubscribeAsync(venue);

        var timestamp = venue.NowMs;
        var signature = Hmac.Sign(TestVenue.Secret, $"apiKey={TestVenue.Key}&timestamp={timestamp}");
        await ws.SendAsync($$$"""{"id":"again","method":"userDataStream.subscribe.signature","params":{"apiKey":"{{{TestVenue.Key}}}","timestamp":{{{timestamp}}},"signature":"{{{signature}}}"}}""");
        var again = await ws.ResponseAsync("again");
        Assert.Equal(400, (int)again["status"]!);
        Assert.Equal(-2035, (int)again["error"]!["code"]!);
        Assert.Equal("User Data Stream subscription already active.", (string?)again["error"]!["msg"]);

        await SubscribeAsync(venue, SimApiKey.BinanceDocsApiKey, SimApiKey.BinanceDocsSecretKey, expectedId: 1, existing: ws);
        await ws.SendAsync("""{"id":"list","method":"session.subscriptions"}""");
        var list = await ws.ResponseAsync("list");
        Assert.Equal("""[{"subscriptionId":0},{"subscriptionId":1}]""", list["result"]!.ToJsonString());

        await venue.PlaceAsync("symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.1&price=60000", SimApiKey.BinanceDocsApiKey, SimApiKey.BinanceDocsSecretKey);
        var report = Event(await ws.NextAsync(), "executionReport", subscriptionId: 1);
        Assert.Equal("SELL", (string?)report["S"]);
    }

    [Fact]
    public async Task Unsubscribe_answers_then_terminates_the_event_stream()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await SubscribeAsync(venue);

        await ws.SendAsync("""{"id":"u9","method":"userDataStream.unsubscribe","params":{"subscriptionId":9}}""");
        var unknown = await ws.ResponseAsync("u9");
        Assert.Equal(-2036, (int)unknown["error"]!["code"]!);
        Assert.Equal("User Data Stream subscription not active.", (string?)unknown["error"]!["msg"]);

        await ws.SendAsync("""{"id":"u0","method":"userDataStream.unsubscribe","params":{"subscriptionId":0}}""");
        var response = await ws.ResponseAsync("u0");
        Assert.Equal(200, (int)response["status"]!);
        Assert.Empty(response["result"]!.AsObject());
        var terminated = Event(await ws.NextAsync(), "eventStreamTerminated");
        Assert.Equal(["e", "E"], terminated.Select(p => p.Key));

        await venue.LimitBuyAsync("0.01", "49000", "after-unsub");
        await ws.AssertNoMessageAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_24_hour_end_terminates_subscriptions_and_closes_the_connection(bool byClock)
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await SubscribeAsync(venue);

        if (byClock)
        {
            venue.Time.Advance(TimeSpan.FromHours(24));
        }
        else
        {
            Assert.Equal(1, venue.Venue.Faults.EndStreams());
        }

        var terminated = Event(await ws.EventAsync("eventStreamTerminated"), "eventStreamTerminated");
        Assert.Equal(venue.NowMs, (long)terminated["E"]!);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ws.WaitClosedAsync());
        await Eventually.TrueAsync(() => venue.Venue.Counters.WebSocketsOpen == 0);
    }

    [Fact]
    public async Task Server_shutdown_is_announced_without_a_subscription_id()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await SubscribeAsync(venue);

        venue.Venue.Faults.AnnounceServerShutdown();

        var message = await ws.NextAsync();
        Assert.Equal($$$"""{"event":{"e":"serverShutdown","E":{{{venue.NowMs}}}}}""", message.ToJsonString());
    }

    [Fact]
    public async Task Responses_use_the_documented_envelope_with_rate_limits()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);

        await ws.SendAsync("""{"id":7,"method":"time"}""");
        var time = await ws.NextAsync();
        Assert.Equal(["id", "status", "result", "rateLimits"], time.AsObject().Select(p => p.Key));
        Assert.Equal(7, (int)time["id"]!);
        Assert.Equal(venue.NowMs, (long)time["result"]!["serverTime"]!);
        var weight = time["rateLimits"]!.AsArray().Single()!;
        Assert.Equal("REQUEST_WEIGHT", (string?)weight["rateLimitType"]);
        Assert.Equal(3, (int)weight["count"]!); // 2 for the connection, 1 for time

        await ws.SendAsync("""{"id":"p","method":"ping","params":{"returnRateLimits":false}}""");
        Assert.Equal("""{"id":"p","status":200,"result":{}}""", (await ws.NextAsync()).ToJsonString());

        var timestamp = venue.NowMs;
        var payload = $"apiKey={TestVenue.Key}&price=49000&quantity=0.01&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp={timestamp}&type=LIMIT";
        await ws.SendAsync($$$"""{"id":"o","method":"v3/order.place","params":{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"49000","timestamp":{{{timestamp}}},"apiKey":"{{{TestVenue.Key}}}","signature":"{{{Hmac.Sign(TestVenue.Secret, payload)}}}"}}""");
        var placed = await ws.NextAsync();
        Assert.Equal(200, (int)placed["status"]!);
        Assert.Equal("NEW", (string?)placed["result"]!["status"]);
        var limits = placed["rateLimits"]!.AsArray();
        Assert.Contains(limits, l => (string?)l!["rateLimitType"] == "ORDERS" && (string?)l["interval"] == "SECOND" && (int)l["count"]! == 1);
        Assert.Contains(limits, l => (string?)l!["rateLimitType"] == "ORDERS" && (string?)l["interval"] == "DAY" && (int)l["count"]! == 1);

        var badKey = new string('Q', 64);
        payload = $"apiKey={badKey}&timestamp={timestamp}";
        await ws.SendAsync($$$"""{"id":"k","method":"account.status","params":{"timestamp":{{{timestamp}}},"apiKey":"{{{badKey}}}","signature":"{{{Hmac.Sign("x", payload)}}}"}}""");
        var rejected = await ws.NextAsync();
        Assert.Equal(401, (int)rejected["status"]!);
        Assert.Equal(-2015, (int)rejected["error"]!["code"]!);
        Assert.Null(rejected["result"]);
    }

    [Fact]
    public async Task Rate_limits_can_be_hidden_for_the_whole_connection()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(new Uri(venue.Venue.WebSocketApiUri + "?returnRateLimits=false"));
        await ws.SendAsync("""{"id":null,"method":"ping"}""");
        Assert.Equal("""{"id":null,"status":200,"result":{}}""", (await ws.NextAsync()).ToJsonString());
    }
}
