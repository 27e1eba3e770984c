using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>The signing worked examples of Binance's rest-api.md and web-socket-api.md verify against the venue, byte for byte.</summary>
public sealed class SigningTests
{
    private const string DocsKey = SimApiKey.BinanceDocsApiKey;
    private const string DocsSecret = SimApiKey.BinanceDocsSecretKey;

    private static SimSymbolOptions LtcLike(string symbol) => new()
    {
        Symbol = symbol,
        BaseAsset = "LTC",
        QuoteAsset = "BTC",
        StartPrice = 0.2m,
        TickSize = 0.000001m,
        MinPrice = 0.000001m,
        StepSize = 0.001m,
        MinQty = 0.001m,
        MinNotional = 0.0001m,
        LiquidityPerTick = 100m,
    };

    private static Task<TestVenue> VenueAtAsync(long unixMs) => TestVenue.StartAsync(
        time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            Symbols = [TestVenue.BtcUsdt(), LtcLike("LTCBTC"), LtcLike("１２３４５６")],
        },
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    [Theory]
    [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", "LTCBTC")]
    [InlineData("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", "１２３４５６")]
    public async Task Rest_worked_examples_R1_and_R2_are_accepted_as_documented(string payload, string documentedSignature, string symbol)
    {
        Assert.Equal(documentedSignature, Hmac.Sign(DocsSecret, payload));
        await using var venue = await VenueAtAsync(1499827319559);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{payload}&signature={documentedSignature}");
        request.Headers.Add("X-MBX-APIKEY", DocsKey);
        using var response = await venue.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var answer = await ApiResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(symbol, (string?)answer.Object["symbol"]);
        Assert.Equal("NEW", (string?)answer.Object["status"]);
        Assert.Equal("0.10000000", (string?)answer.Object["price"]);
        Assert.Equal(1499827319559L, (long)answer.Object["transactTime"]!);
    }

    [Fact]
    public async Task Rest_worked_example_R3_signs_query_followed_by_body()
    {
        const string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC";
        const string body = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        const string signature = "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77";
        Assert.Equal(signature, Hmac.Sign(DocsSecret, query + body));
        await using var venue = await VenueAtAsync(1499827319559);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{query}")
        {
            Content = new StringContent($"{body}&signature={signature}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-MBX-APIKEY", DocsKey);
        using var response = await venue.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var answer = await ApiResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("1.00000000", (string?)answer.Object["origQty"]);
    }

    [Fact]
    public async Task Rest_signature_is_case_insensitive_hex_but_must_match_the_payload_as_sent()
    {
        const string payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        await using var venue = await VenueAtAsync(1499827319559);

        var upper = await SendAsync(venue, payload, "C8DB56825AE71D6D79447849E617115F4A920FA2ACDCAB2B053C4B2838BD6B71");
        Assert.Equal(HttpStatusCode.OK, upper.Status);

        // Same parameters, different order on the wire: the venue signs what was sent, so the documented signature no longer fits.
        var reordered = await SendAsync(venue, "side=BUY&symbol=LTCBTC&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
        Assert.Equal(-1022, reordered.Code);
        Assert.Equal("Signature for this request is not valid.", reordered.Message);
    }

    [Fact]
    public async Task WebSocket_api_worked_example_W1_places_the_documented_order()
    {
        await using var venue = await VenueAtAsync(1645423376532);
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);
        const string signature = "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24";
        Assert.Equal(signature, Hmac.Sign(DocsSecret,
            $"apiKey={DocsKey}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT"));

        await ws.SendAsync($$$"""
            {"id":"w1","method":"order.place","params":{"symbol":"BTCUSDT","side":"SELL","type":"LIMIT","timeInForce":"GTC",
             "price":"52000.00","quantity":"0.01000000","recvWindow":100,"timestamp":1645423376532,
             "apiKey":"{{{DocsKey}}}","signature":"{{{signature}}}"}}
            """);
        var response = await ws.ResponseAsync("w1");

        Assert.Equal(200, (int)response["status"]!);
        Assert.Equal("NEW", (string?)response["result"]!["status"]);
        Assert.Equal("52000.00000000", (string?)response["result"]!["price"]);
        Assert.Equal("SELL", (string?)response["result"]!["side"]);
        Assert.NotNull(response["rateLimits"]);
    }

    [Fact]
    public async Task WebSocket_api_worked_example_W7_subscribes_to_user_data()
    {
        await using var venue = await VenueAtAsync(1747385641636);
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);
        const string signature = "681110a6057ad58657af22f5640fab9dd17418834cdfccdc81be8b0f7b2cde3e";
        Assert.Equal(signature, Hmac.Sign(DocsSecret, $"apiKey={DocsKey}&timestamp=1747385641636"));

        await ws.SendAsync($$$"""{"id":"w7","method":"userDataStream.subscribe.signature","params":{"apiKey":"{{{DocsKey}}}","timestamp":1747385641636,"signature":"{{{signature}}}"}}""");
        var response = await ws.ResponseAsync("w7");

        Assert.Equal(200, (int)response["status"]!);
        Assert.Equal(0, (int)response["result"]!["subscriptionId"]!);
    }

    [Fact]
    public async Task WebSocket_api_signature_over_different_params_is_rejected_with_1022()
    {
        await using var venue = await VenueAtAsync(1747385641636);
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);

        // W7's signature, but recvWindow is part of the signed params now.
        await ws.SendAsync($$$"""{"id":"bad","method":"userDataStream.subscribe.signature","params":{"apiKey":"{{{DocsKey}}}","timestamp":1747385641636,"recvWindow":5000,"signature":"681110a6057ad58657af22f5640fab9dd17418834cdfccdc81be8b0f7b2cde3e"}}""");
        var response = await ws.ResponseAsync("bad");

        Assert.Equal(400, (int)response["status"]!);
        Assert.Equal(-1022, (int)response["error"]!["code"]!);
        Assert.Equal("Signature for this request is not valid.", (string?)response["error"]!["msg"]);
    }

    private static async Task<ApiResponse> SendAsync(TestVenue venue, string payload, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{payload}&signature={signature}");
        request.Headers.Add("X-MBX-APIKEY", DocsKey);
        using var response = await venue.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return await ApiResponse.ReadAsync(response);
    }
}
