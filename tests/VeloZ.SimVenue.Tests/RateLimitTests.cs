using System.Net;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>Request weight, order counts and their headers (Binance's rest-api.md "LIMITS"), on the fake venue clock.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Every_answer_reports_the_used_weight_of_the_minute()
    {
        await using var venue = await TestVenue.StartAsync();
        var steps = new (Func<Task<ApiResponse>> Call, int Expected)[]
        {
            (() => venue.GetAsync("/api/v3/ping"), 1),
            (() => venue.GetAsync("/api/v3/exchangeInfo"), 21),
            (() => venue.GetAsync("/api/v3/ticker/price?symbol=BTCUSDT"), 23),
            (() => venue.GetAsync("/api/v3/ticker/bookTicker"), 27),
            (() => venue.LimitBuyAsync("0.01", "49000", "w1"), 27), // successful placement: 0
            (() => venue.LimitBuyAsync("0.01", "49000", "w1"), 28), // rejected placement: 1
            (() => venue.SignedAsync(HttpMethod.Get, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=w1"), 32),
            (() => venue.SignedAsync(HttpMethod.Get, "/api/v3/openOrders", "symbol=BTCUSDT"), 38),
            (() => venue.SignedAsync(HttpMethod.Get, "/api/v3/openOrders", "recvWindow=5000"), 118),
            (() => venue.SignedAsync(HttpMethod.Get, "/api/v3/account", "recvWindow=5000"), 138),
            (() => venue.SignedAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=BTCUSDT&orderId=1"), 143),
            (() => venue.SignedAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=BTCUSDT"), 163),
            (() => venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=w1"), 163),
        };

        foreach (var (call, expected) in steps)
        {
            var response = await call();
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("X-MBX-USED-WEIGHT-1M"));
            Assert.Equal(response.Header("X-MBX-USED-WEIGHT-1M"), response.Header("x-mbx-used-weight"));
        }

        venue.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("1", (await venue.GetAsync("/api/v3/ping")).Header("X-MBX-USED-WEIGHT-1M"));
    }

    [Fact]
    public async Task Past_the_weight_limit_the_answer_is_429_with_retry_after_until_the_minute_ends()
    {
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            RequestWeightPerMinute = 50,
        });
        Assert.Equal(HttpStatusCode.OK, (await venue.GetAsync("/api/v3/exchangeInfo")).Status);
        Assert.Equal(HttpStatusCode.OK, (await venue.GetAsync("/api/v3/exchangeInfo")).Status);
        venue.Time.Advance(TimeSpan.FromSeconds(15));

        var limited = await venue.GetAsync("/api/v3/exchangeInfo");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(-1003, limited.Code);
        Assert.Equal("Too much request weight used; current limit is 50 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.", limited.Message);
        Assert.Equal(45, (int)limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.Equal("40", limited.Header("X-MBX-USED-WEIGHT-1M"));
        Assert.Equal(1, venue.Venue.Counters.RequestsRateLimited);

        // Signed requests are refused the same way, before they are looked at.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", "recvWindow=5000")).Status);

        venue.Time.Advance(TimeSpan.FromSeconds(45));
        var again = await venue.GetAsync("/api/v3/exchangeInfo");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("20", again.Header("X-MBX-USED-WEIGHT-1M"));
    }

    [Fact]
    public async Task Successful_orders_carry_order_counts_and_the_order_limit_answers_429_1015()
    {
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            OrdersPer10Seconds = 2,
        });

        var first = await venue.LimitBuyAsync("0.01", "49000", "o1");
        Assert.Equal("1", first.Header("X-MBX-ORDER-COUNT-10S"));
        Assert.Equal("1", first.Header("X-MBX-ORDER-COUNT-1D"));
        var rejected = await venue.LimitBuyAsync("0.01", "49000", "o1");
        Assert.Null(rejected.Header("X-MBX-ORDER-COUNT-10S"));
        var second = await venue.LimitBuyAsync("0.01", "49000", "o2");
        Assert.Equal("2", second.Header("X-MBX-ORDER-COUNT-10S"));
        venue.Time.Advance(TimeSpan.FromSeconds(3));

        var limited = await venue.LimitBuyAsync("0.01", "49000", "o3");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(-1015, limited.Code);
        Assert.Equal("Too many new orders; current limit is 2 orders per 10 SECOND.", limited.Message);
        Assert.Equal(7, (int)limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.Equal(2, venue.Venue.Counters.OrdersExecuted);

        venue.Time.Advance(TimeSpan.FromSeconds(7));
        var next = await venue.LimitBuyAsync("0.01", "49000", "o3");
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal("1", next.Header("X-MBX-ORDER-COUNT-10S"));
        Assert.Equal("3", next.Header("X-MBX-ORDER-COUNT-1D"));
    }

    [Fact]
    public async Task Cancels_get_through_while_new_orders_are_over_the_order_limit()
    {
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            OrdersPer10Seconds = 1,
        });
        var info = await venue.GetAsync("/api/v3/exchangeInfo?symbol=BTCUSDT");
        Assert.Contains(info.Object["rateLimits"]!.AsArray(), l => (string?)l!["rateLimitType"] == "ORDERS" && (string?)l["interval"] == "SECOND" && (int)l["intervalNum"]! == 10 && (int)l["limit"]! == 1);
        Assert.Equal(HttpStatusCode.OK, (await venue.LimitBuyAsync("0.01", "49000", "c1")).Status);
        Assert.Equal(-1015, (await venue.LimitBuyAsync("0.01", "49000", "c2")).Code);

        var cancel = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=c1");

        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Null(cancel.Header("X-MBX-ORDER-COUNT-10S"));
        Assert.Equal(1, venue.Venue.Counters.OrdersCanceled);
    }

    [Fact]
    public async Task The_websocket_api_shares_the_weight_and_reports_429_with_retry_after()
    {
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            RequestWeightPerMinute = 25,
        });
        await venue.GetAsync("/api/v3/exchangeInfo");
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);

        await ws.SendAsync("""{"id":"t1","method":"time"}""");
        Assert.Equal(23, (int)(await ws.NextAsync())["rateLimits"]![0]!["count"]!);
        await ws.SendAsync("""{"id":"x","method":"exchangeInfo"}""");
        var limited = await ws.NextAsync();

        Assert.Equal(429, (int)limited["status"]!);
        Assert.Equal(-1003, (int)limited["error"]!["code"]!);
        Assert.Equal(venue.NowMs + 60_000, (long)limited["error"]!["data"]!["retryAfter"]!);
    }
}
