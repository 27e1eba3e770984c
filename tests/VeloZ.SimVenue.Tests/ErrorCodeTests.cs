using System.Net;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>Every error code the venue promises, reproduced over raw HTTP with Binance's exact messages (Binance's errors.md).</summary>
public sealed class ErrorCodeTests
{
    private const string Limit = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC";

    public static TheoryData<string, int, string> OrderRejections => new()
    {
        { $"{Limit}&quantity=0.01&price=49000.001", -1013, "Filter failure: PRICE_FILTER" },
        { $"{Limit}&quantity=0.000001&price=49000", -1013, "Filter failure: LOT_SIZE" },
        { $"{Limit}&quantity=0.00001&price=49000", -1013, "Filter failure: NOTIONAL" },
        { $"{Limit}&quantity=0.000000001&price=49000", -1111, "Parameter 'quantity' has too much precision." },
        { $"{Limit}&quantity=100&price=49000", -2010, "Account has insufficient balance for requested action." },
        { "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.01&price=51000", -2010, "Order would immediately match and take." },
        { "symbol=BTCUSDT&side=BUY&type=STOP_LOSS&quantity=0.01&stopPrice=51000", -2010, "Unsupported order combination" },
        { "symbol=NOPEUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000", -1121, "Invalid symbol." },
        { "symbol=BTCUSDT&side=HOLD&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000", -1117, "Invalid side." },
        { "symbol=BTCUSDT&side=BUY&type=BOGUS&quantity=0.01&price=49000", -1116, "Invalid orderType." },
        { "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.01&price=49000", -1115, "Invalid timeInForce." },
        { $"{Limit}&quantity=0.01", -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed." },
        { "symbol=BTCUSDT&side=BUY&type=MARKET", -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!" },
        { $"{Limit}&quantity=0.01&price=49000&newClientOrderId=bad.id", -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'." },
        { $"{Limit}&quantity=1e-2&price=49000", -1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'." },
        { $"{Limit}&quantity=0.01&price=49000&price=48000", -1101, "Duplicate values for a parameter detected." },
    };

    [Theory]
    [MemberData(nameof(OrderRejections))]
    public async Task Order_rejections_answer_400_with_the_documented_code_and_message(string query, int code, string message)
    {
        await using var venue = await TestVenue.StartAsync();

        var response = await venue.PlaceAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(code, response.Code);
        Assert.Equal(message, response.Message);
        Assert.Equal(2, response.Object.Count);
        Assert.Equal(1, venue.Venue.Counters.OrdersReceived);
        Assert.Equal(0, venue.Venue.Counters.OrdersExecuted);
        Assert.Equal(1, venue.Venue.Counters.OrdersRejected);
    }

    [Fact]
    public async Task Min_notional_filter_is_named_when_the_symbol_uses_it()
    {
        var symbol = TestVenue.BtcUsdt();
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            Symbols = [new SimSymbolOptions { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", StartPrice = 50_000m, UseMinNotionalFilter = true }],
        });
        var info = await venue.GetAsync("/api/v3/exchangeInfo?symbol=BTCUSDT");
        Assert.Contains(info.Object["symbols"]![0]!["filters"]!.AsArray(), f => (string?)f!["filterType"] == "MIN_NOTIONAL");

        var response = await venue.PlaceAsync($"{Limit}&quantity=0.00001&price=49000");

        Assert.Equal(-1013, response.Code);
        Assert.Equal("Filter failure: MIN_NOTIONAL", response.Message);
    }

    [Fact]
    public async Task Duplicate_client_order_id_of_an_open_order_is_2010_and_reusable_once_the_order_is_closed()
    {
        await using var venue = await TestVenue.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await venue.LimitBuyAsync("0.01", "49000", "dup-1")).Status);

        var duplicate = await venue.LimitBuyAsync("0.02", "48000", "dup-1");
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal(-2010, duplicate.Code);
        Assert.Equal("Duplicate order sent.", duplicate.Message);

        var cancel = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=dup-1");
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Equal(HttpStatusCode.OK, (await venue.LimitBuyAsync("0.02", "48000", "dup-1")).Status);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_or_already_final_order_is_2011()
    {
        await using var venue = await TestVenue.StartAsync();
        var unknown = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&orderId=999");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal(-2011, unknown.Code);
        Assert.Equal("Unknown order sent.", unknown.Message);

        var placed = await venue.LimitBuyAsync("0.01", "49000", "c1");
        var orderId = (long)placed.Object["orderId"]!;
        Assert.Equal(HttpStatusCode.OK, (await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", $"symbol=BTCUSDT&orderId={orderId}")).Status);
        var again = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", $"symbol=BTCUSDT&orderId={orderId}");
        Assert.Equal(-2011, again.Code);
        Assert.Equal(1, venue.Venue.Counters.OrdersCanceled);
        Assert.Equal(3, venue.Venue.Counters.CancelsReceived);
    }

    [Fact]
    public async Task Cancel_restrictions_are_checked()
    {
        await using var venue = await TestVenue.StartAsync();
        await venue.LimitBuyAsync("0.01", "49000", "c1");

        var bad = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=c1&cancelRestrictions=SOMETIMES");
        Assert.Equal(-1145, bad.Code);
        Assert.Equal("Invalid cancelRestrictions", bad.Message);

        var unmet = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=c1&cancelRestrictions=ONLY_PARTIALLY_FILLED");
        Assert.Equal(-2011, unmet.Code);
        Assert.Equal("Order was not canceled due to cancel restrictions.", unmet.Message);

        var neither = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT");
        Assert.Equal(-1102, neither.Code);
        Assert.Equal("Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!", neither.Message);
    }

    [Fact]
    public async Task Query_of_an_unknown_order_is_2013_and_a_mismatched_client_id_is_2039()
    {
        await using var venue = await TestVenue.StartAsync();
        var unknown = await venue.SignedAsync(HttpMethod.Get, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=never-sent");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal(-2013, unknown.Code);
        Assert.Equal("Order does not exist.", unknown.Message);

        var placed = await venue.LimitBuyAsync("0.01", "49000", "c1");
        var mismatch = await venue.SignedAsync(HttpMethod.Get, "/api/v3/order", $"symbol=BTCUSDT&orderId={placed.Object["orderId"]}&origClientOrderId=other");
        Assert.Equal(-2039, mismatch.Code);
        Assert.Equal("Client order ID is not correct for this order ID.", mismatch.Message);
    }

    [Theory]
    [InlineData(1000, null, -1021, "Timestamp for this request was 1000ms ahead of the server's time.")]
    [InlineData(-5001, null, -1021, "Timestamp for this request is outside of the recvWindow.")]
    [InlineData(-10_000, "9999.999", -1021, "Timestamp for this request is outside of the recvWindow.")]
    [InlineData(0, "60001", -1102, "'recvWindow' contains unexpected value. Cannot be greater than 60000.")]
    [InlineData(0, "100.0001", -1111, "Parameter 'recvWindow' has too much precision.")]
    [InlineData(999, null, 0, null)]
    [InlineData(-5000, null, 0, null)]
    [InlineData(-10_000, "10000.5", 0, null)]
    public async Task Timestamp_and_recvWindow_follow_binance_rules(long offsetMs, string? recvWindow, int code, string? message)
    {
        await using var venue = await TestVenue.StartAsync();
        var query = $"omitZeroBalances=true{(recvWindow is null ? string.Empty : $"&recvWindow={recvWindow}")}&timestamp={venue.NowMs + offsetMs}";

        var response = await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", query);

        if (code == 0)
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("SPOT", (string?)response.Object["accountType"]);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal(code, response.Code);
            Assert.Equal(message, response.Message);
        }
    }

    [Fact]
    public async Task Microsecond_timestamps_are_accepted()
    {
        await using var venue = await TestVenue.StartAsync();
        var response = await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", $"timestamp={venue.NowMs * 1000 + 123}");
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Wrong_secret_is_1022()
    {
        await using var venue = await TestVenue.StartAsync();
        var response = await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", "omitZeroBalances=true", TestVenue.Key, "not-the-secret");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(-1022, response.Code);
        Assert.Equal("Signature for this request is not valid.", response.Message);
    }

    [Theory]
    [InlineData(null, -2014, "API-key format invalid.")]
    [InlineData("short-key", -2014, "API-key format invalid.")]
    [InlineData("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", -2015, "Invalid API-key, IP, or permissions for action.")]
    public async Task Missing_malformed_or_unknown_api_keys_are_401(string? apiKey, int code, string message)
    {
        await using var venue = await TestVenue.StartAsync();
        var payload = $"timestamp={venue.NowMs}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v3/account?{payload}&signature={Hmac.Sign(TestVenue.Secret, payload)}");
        if (apiKey is not null)
        {
            request.Headers.Add("X-MBX-APIKEY", apiKey);
        }

        using var raw = await venue.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var response = await ApiResponse.ReadAsync(raw);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(code, response.Code);
        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task A_key_without_trading_permission_reads_but_cannot_trade()
    {
        const string readOnlyKey = "ReadOnlyKey00000000000000000000000000000000000000000000000000000";
        const string readOnlySecret = "read-only-secret";
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            ApiKeys = [new SimApiKey(readOnlyKey, readOnlySecret, canTrade: false)],
        });

        var account = await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", "omitZeroBalances=true", readOnlyKey, readOnlySecret);
        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.False((bool)account.Object["canTrade"]!);

        var order = await venue.PlaceAsync($"{Limit}&quantity=0.01&price=49000", readOnlyKey, readOnlySecret);
        Assert.Equal(HttpStatusCode.Unauthorized, order.Status);
        Assert.Equal(-2015, order.Code);
    }

    [Fact]
    public async Task Unknown_symbol_on_public_endpoints_is_1121()
    {
        await using var venue = await TestVenue.StartAsync();
        foreach (var path in new[] { "/api/v3/ticker/price?symbol=NOPE", "/api/v3/ticker/bookTicker?symbol=NOPE", "/api/v3/exchangeInfo?symbol=NOPE", "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22,%22NOPE%22%5D" })
        {
            var response = await venue.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal(-1121, response.Code);
            Assert.Equal("Invalid symbol.", response.Message);
        }
    }
}
