using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;

namespace VeloZ.Binance.Tests;

public sealed class RestClientTests
{
    private const string Key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private const string SecretText = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private const string OrderJson = """{"symbol":"BTCUSDT","orderId":7,"orderListId":-1,"clientOrderId":"c1","transactTime":1,"price":"40000.00","origQty":"0.001","executedQty":"0","cummulativeQuoteQty":"0","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY"}""";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedHandler _handler = new();
    private readonly List<string> _logs = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BinanceRestClient Client(TimeSpan? timeout = null)
    {
        var options = new BinanceClientOptions
        {
            BaseUrl = new Uri("http://venue.test"),
            ApiKey = new Secret(Key),
            ApiSecret = new Secret(SecretText),
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        };
        var factory = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(_logs)));
        return new BinanceRestClient(new HttpClient(_handler), options, new BinanceServerClock(_clock), new BinanceRateGate(_clock), _clock, factory.CreateLogger<BinanceRestClient>());
    }

    private static Dictionary<string, string> Query(string uri) =>
        new Uri(uri).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    [Fact]
    public async Task Signed_requests_carry_key_header_timestamp_recv_window_and_a_valid_signature()
    {
        _handler.Then(HttpStatusCode.OK, OrderJson);
        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000.00m, "c1", Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(40000.00m, result.Value!.Price);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Key, request.Headers.GetValues("X-MBX-APIKEY").Single());
        var uri = _handler.Uris.Single();
        var query = Query(uri);
        Assert.Equal("5000", query["recvWindow"]);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), query["timestamp"]);
        Assert.Equal("c1", query["newClientOrderId"]);
        var signedPart = new Uri(uri).Query.TrimStart('?').Split("&signature=")[0];
        Assert.Equal(new Signing.BinanceSigner(new Secret(SecretText)).SignRest(signedPart), query["signature"]);
    }

    [Theory]
    [InlineData("30000.10000000", "0.01", "30000.10")]
    [InlineData("30000.1", "0.01000000", "30000.10")]
    [InlineData("30000", "0.01", "30000.00")]
    [InlineData("42000.00000000", "1.00000000", "42000")]
    [InlineData("0.00100000", "0.00001000", "0.00100")]
    [InlineData("0.1000", "0", "0.1")]
    [InlineData("30000.123", "0.01", "30000.123")]
    public void Prices_and_quantities_go_out_at_the_scale_of_their_increment(string value, string increment, string expected) =>
        Assert.Equal(expected, BinanceParameters.FormatDecimal(
            decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(increment, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task An_order_is_sent_at_the_symbols_tick_and_step_scale()
    {
        _handler.Then(HttpStatusCode.OK, OrderJson);
        var rules = new Filters.SymbolRules("BTCUSDT", "TRADING", "BTC", "USDT",
            new Filters.PriceFilterRule(0.01m, 1000000m, 0.01m), new Filters.LotSizeRule(0.00001m, 9000m, 0.00001m), null);

        await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.00100000m, 30000.10000000m, "c1", rules, sendBy: null, Ct);

        var query = Query(_handler.Uris.Single());
        Assert.Equal("30000.10", query["price"]);
        Assert.Equal("0.00100", query["quantity"]);
    }

    public static TheoryData<OrderTicket, string> Tickets => new()
    {
        { OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 0.001m, 40000m), "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100&price=40000.00&newClientOrderId=c1&newOrderRespType=FULL" },
        { new("BTCUSDT", OrderSide.Sell, OrderType.Limit, 0.5m, null, 41000.1m, TimeInForce.Ioc), "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=0.50000&price=41000.10&newClientOrderId=c1&newOrderRespType=FULL" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.LimitMaker, 0.001m, null, 40000m, null), "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.00100&price=40000.00&newClientOrderId=c1&newOrderRespType=FULL" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, 0.002m, null, null, null), "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00200&newClientOrderId=c1&newOrderRespType=FULL" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, null, 100.50m, null, null, SelfTradePrevention.ExpireTaker), "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=100.5&newClientOrderId=c1&newOrderRespType=FULL&selfTradePreventionMode=EXPIRE_TAKER" },
    };

    [Theory]
    [MemberData(nameof(Tickets))]
    public async Task Each_order_type_goes_out_with_the_parameters_binance_asks_for(OrderTicket ticket, string expected)
    {
        _handler.Then(HttpStatusCode.OK, OrderJson);
        var rules = new Filters.SymbolRules("BTCUSDT", "TRADING", "BTC", "USDT",
            new Filters.PriceFilterRule(0.01m, 1000000m, 0.01m), new Filters.LotSizeRule(0.00001m, 9000m, 0.00001m), null);

        await Client().PlaceOrderAsync(ticket, "c1", rules, sendBy: null, Ct);

        var query = new Uri(_handler.Uris.Single()).Query.TrimStart('?');
        Assert.Equal(expected, query[..query.IndexOf("&recvWindow=", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task A_ticket_that_is_not_an_order_is_never_sent()
    {
        var ticket = new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Market, 0.001m, null, 40000m, null);

        await Assert.ThrowsAsync<ArgumentException>(() => Client().PlaceOrderAsync(ticket, "c1", null, null, Ct));
        Assert.Empty(_handler.Uris);
    }

    [Fact]
    public async Task Timestamp_rejection_resyncs_the_clock_and_retries_once_with_venue_time()
    {
        var venueNow = _clock.GetUtcNow().AddSeconds(7).ToUnixTimeMilliseconds();
        _handler
            .Then(HttpStatusCode.BadRequest, """{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}""")
            .Then(HttpStatusCode.OK, $$"""{"serverTime":{{venueNow}}}""")
            .Then(HttpStatusCode.OK, OrderJson);

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(3, _handler.Requests.Count);
        Assert.EndsWith("/api/v3/time", _handler.Uris[1], StringComparison.Ordinal);
        Assert.Equal(venueNow.ToString(System.Globalization.CultureInfo.InvariantCulture), Query(_handler.Uris[2])["timestamp"]);
    }

    [Fact]
    public async Task An_order_is_never_signed_after_its_send_by_deadline_not_even_on_the_resend_after_a_clock_resync()
    {
        // The venue's clock is 7 s ahead: the resend after the resync would carry a timestamp past the deadline.
        var venueNow = _clock.GetUtcNow().AddSeconds(7).ToUnixTimeMilliseconds();
        _handler
            .Then(HttpStatusCode.BadRequest, """{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."}""")
            .Then(HttpStatusCode.OK, $$"""{"serverTime":{{venueNow}}}""")
            .Then(HttpStatusCode.OK, OrderJson);

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", rules: null, _clock.GetUtcNow().AddSeconds(5), Ct);

        Assert.Equal(BinanceOutcomeKind.NotSent, result.Kind);
        Assert.Equal(2, _handler.Requests.Count);
        Assert.EndsWith("/api/v3/time", _handler.Uris[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_past_its_send_by_deadline_is_not_sent_at_all()
    {
        _handler.Then(HttpStatusCode.OK, OrderJson);

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", rules: null, _clock.GetUtcNow().AddMilliseconds(-1), Ct);

        Assert.Equal(BinanceOutcomeKind.NotSent, result.Kind);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task An_order_within_its_send_by_deadline_is_signed_with_a_timestamp_no_later_than_it()
    {
        _handler.Then(HttpStatusCode.OK, OrderJson);
        var sendBy = _clock.GetUtcNow();

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", rules: null, sendBy, Ct);

        Assert.True(result.IsSuccess);
        Assert.True(long.Parse(Query(_handler.Uris.Single())["timestamp"], System.Globalization.CultureInfo.InvariantCulture) <= sendBy.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_second_timestamp_rejection_is_returned_not_retried_again()
    {
        _handler
            .Then(HttpStatusCode.BadRequest, """{"code":-1021,"msg":"late"}""")
            .Then(HttpStatusCode.OK, """{"serverTime":1}""")
            .Then(HttpStatusCode.BadRequest, """{"code":-1021,"msg":"late"}""");

        var result = await Client().GetAccountAsync(Ct);

        Assert.Equal(BinanceOutcomeKind.Rejected, result.Kind);
        Assert.Equal(-1021, result.Code);
        Assert.Equal(3, _handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>")]
    [InlineData(HttpStatusCode.BadRequest, """{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}""")]
    public async Task Unknown_order_outcomes_are_never_retried(HttpStatusCode status, string body)
    {
        _handler.Then(status, body);

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct);

        Assert.Equal(BinanceOutcomeKind.Unknown, result.Kind);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task A_timeout_is_an_unknown_outcome()
    {
        _handler.Then(async _ =>
        {
            await Task.Delay(Timeout.Infinite, Ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var result = await Client(TimeSpan.FromMilliseconds(100)).PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct);

        Assert.Equal(BinanceOutcomeKind.Unknown, result.Kind);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_unreachable_not_unknown()
    {
        _handler.ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct);

        Assert.Equal(BinanceOutcomeKind.Unreachable, result.Kind);
    }

    [Fact]
    public async Task A_reset_after_sending_is_unknown()
    {
        _handler.ThenThrow(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));

        Assert.Equal(BinanceOutcomeKind.Unknown, (await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct)).Kind);
    }

    [Fact]
    public async Task Rate_limit_backs_off_for_retry_after_and_sends_nothing_meanwhile()
    {
        _handler
            .Then(HttpStatusCode.TooManyRequests, """{"code":-1003,"msg":"Too much request weight used"}""", r => r.Headers.Add("Retry-After", "30"))
            .Then(HttpStatusCode.OK, """{"symbol":"BTCUSDT","price":"42000.10"}""");
        var client = Client();

        var first = await client.GetTickerPriceAsync("BTCUSDT", Ct);
        var during = await client.GetTickerPriceAsync("BTCUSDT", Ct);
        _clock.Advance(TimeSpan.FromSeconds(31));
        var after = await client.GetTickerPriceAsync("BTCUSDT", Ct);

        Assert.Equal(BinanceOutcomeKind.RateLimited, first.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), first.RetryAfter);
        Assert.Equal(BinanceOutcomeKind.RateLimited, during.Kind);
        Assert.True(after.IsSuccess);
        Assert.Equal(42000.10m, after.Value!.Price);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task A_ban_halts_every_request_until_it_ends_and_says_so()
    {
        _handler
            .Then((HttpStatusCode)418, """{"code":-1003,"msg":"Way too much request weight used; IP banned"}""", r => r.Headers.Add("Retry-After", "120"))
            .Then(HttpStatusCode.OK, """{}""");
        var client = Client();

        var banned = await client.PingAsync(Ct);
        var order = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c2", Ct);

        Assert.Equal(BinanceOutcomeKind.Banned, banned.Kind);
        Assert.Equal(BinanceOutcomeKind.Banned, order.Kind);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(120), client.RateGate.HaltedUntil);
        Assert.Single(_handler.Requests);
        Assert.Contains(_logs, l => l.Contains("[AUDIT] binance_ip_banned", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Null(client.RateGate.HaltedUntil);
        Assert.True((await client.PingAsync(Ct)).IsSuccess);
    }

    [Fact]
    public async Task Cancels_get_through_while_new_orders_are_rate_limited()
    {
        _handler
            .Then(HttpStatusCode.TooManyRequests, """{"code":-1015,"msg":"Too many new orders; current limit is 50 orders per 10 SECOND."}""", r => r.Headers.Add("Retry-After", "7"))
            .Then(HttpStatusCode.OK, OrderJson)
            .Then(HttpStatusCode.OK, """{}""");
        var client = Client();

        var limited = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c2", Ct);
        var next = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c3", Ct);
        var cancel = await client.CancelOrderAsync("BTCUSDT", "c1", Ct);
        var ping = await client.PingAsync(Ct);

        Assert.Equal(BinanceOutcomeKind.RateLimited, limited.Kind);
        Assert.Equal(BinanceOutcomeKind.RateLimited, next.Kind);
        Assert.StartsWith("refused locally", next.Message, StringComparison.Ordinal);
        Assert.True(cancel.IsSuccess);
        Assert.True(ping.IsSuccess);
        Assert.Equal([HttpMethod.Post, HttpMethod.Delete, HttpMethod.Get], _handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Cancels_get_through_a_request_weight_back_off_but_nothing_else_does()
    {
        _handler
            .Then(HttpStatusCode.TooManyRequests, """{"code":-1003,"msg":"Too much request weight used"}""", r => r.Headers.Add("Retry-After", "30"))
            .Then(HttpStatusCode.OK, OrderJson);
        var client = Client();

        Assert.Equal(BinanceOutcomeKind.RateLimited, (await client.GetTickerPriceAsync("BTCUSDT", Ct)).Kind);
        var cancel = await client.CancelOrderAsync("BTCUSDT", "c1", Ct);
        var order = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c2", Ct);
        var query = await client.GetTickerPriceAsync("BTCUSDT", Ct);

        Assert.True(cancel.IsSuccess);
        Assert.Equal(BinanceOutcomeKind.RateLimited, order.Kind);
        Assert.Equal(BinanceOutcomeKind.RateLimited, query.Kind);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task A_cancel_answered_429_holds_cancels_back_until_retry_after()
    {
        _handler
            .Then(HttpStatusCode.TooManyRequests, """{"code":-1003,"msg":"Too much request weight used"}""", r => r.Headers.Add("Retry-After", "20"))
            .Then(HttpStatusCode.OK, OrderJson);
        var client = Client();

        Assert.Equal(BinanceOutcomeKind.RateLimited, (await client.CancelOrderAsync("BTCUSDT", "c1", Ct)).Kind);
        var held = await client.CancelOrderAsync("BTCUSDT", "c1", Ct);
        _clock.Advance(TimeSpan.FromSeconds(21));
        var after = await client.CancelOrderAsync("BTCUSDT", "c1", Ct);

        Assert.Equal(BinanceOutcomeKind.RateLimited, held.Kind);
        Assert.True(after.IsSuccess);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task A_ban_stops_cancels_too()
    {
        _handler.Then((HttpStatusCode)418, """{"code":-1003,"msg":"Way too much request weight used; IP banned"}""", r => r.Headers.Add("Retry-After", "120"));
        var client = Client();

        await client.PingAsync(Ct);
        var cancel = await client.CancelOrderAsync("BTCUSDT", "c1", Ct);

        Assert.Equal(BinanceOutcomeKind.Banned, cancel.Kind);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task A_new_order_past_the_reported_order_count_is_refused_locally_and_cancels_still_go()
    {
        // Aligned to a 10-second window so both orders fall in the same one.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        _handler
            .Then(HttpStatusCode.OK, OrderJson, r =>
            {
                r.Headers.Add("X-MBX-ORDER-COUNT-10S", "50");
                r.Headers.Add("X-MBX-ORDER-COUNT-1D", "50");
            })
            .Then(HttpStatusCode.OK, OrderJson);
        var client = Client();

        Assert.True((await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct)).IsSuccess);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var refused = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c2", Ct);
        var cancel = await client.CancelOrderAsync("BTCUSDT", "c1", Ct);

        Assert.Equal(50, client.RateGate.OrderCount10S);
        Assert.Equal(BinanceOutcomeKind.RateLimited, refused.Kind);
        Assert.Equal(TimeSpan.FromSeconds(8), refused.RetryAfter);
        Assert.True(cancel.IsSuccess);
        Assert.Equal([HttpMethod.Post, HttpMethod.Delete], _handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task The_orders_limits_of_exchange_info_bound_the_new_orders_sent()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        _handler.Then(HttpStatusCode.OK, OrderJson).Then(HttpStatusCode.OK, OrderJson).Then(HttpStatusCode.OK, OrderJson);
        var client = Client();
        client.RateGate.SetOrderLimit("SECOND", 10, 2);

        Assert.True((await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c1", Ct)).IsSuccess);
        Assert.True((await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c2", Ct)).IsSuccess);
        var third = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c3", Ct);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var nextWindow = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "c3", Ct);

        Assert.Equal(BinanceOutcomeKind.RateLimited, third.Kind);
        Assert.True(nextWindow.IsSuccess);
        Assert.Equal(3, _handler.Requests.Count);
    }

    [Fact]
    public async Task Reported_weight_near_the_limit_defers_requests_to_the_next_minute()
    {
        _handler.Then(HttpStatusCode.OK, """{}""", r => r.Headers.Add("X-MBX-USED-WEIGHT-1M", "5390"));
        var client = Client();

        Assert.True((await client.PingAsync(Ct)).IsSuccess);
        var refused = await client.GetExchangeInfoAsync("BTCUSDT", Ct);

        Assert.Equal(5390, client.RateGate.UsedWeight);
        Assert.Equal(BinanceOutcomeKind.RateLimited, refused.Kind);
        Assert.Single(_handler.Requests);
        Assert.True(refused.RetryAfter <= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Venue_rejections_carry_code_and_message()
    {
        _handler.Then(HttpStatusCode.BadRequest, """{"code":-2010,"msg":"Account has insufficient balance for requested action."}""");

        var result = await Client().PlaceLimitOrderAsync("BTCUSDT", "BUY", 100m, 40000m, "c3", Ct);

        Assert.Equal(BinanceOutcomeKind.Rejected, result.Kind);
        Assert.Equal(-2010, result.Code);
        Assert.Equal("Account has insufficient balance for requested action.", result.Message);
        Assert.Equal(400, result.HttpStatus);
    }

    [Fact]
    public async Task Without_credentials_signed_requests_are_not_sent()
    {
        var client = new BinanceRestClient(new HttpClient(_handler), new BinanceClientOptions { BaseUrl = new Uri("http://venue.test") }, new BinanceServerClock(_clock), new BinanceRateGate(_clock), _clock, LoggerFactory.Create(_ => { }).CreateLogger<BinanceRestClient>());

        Assert.Equal(BinanceOutcomeKind.Unauthorized, (await client.GetAccountAsync(Ct)).Kind);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task Neither_key_nor_secret_appears_in_results_or_logs()
    {
        _handler
            .Then(HttpStatusCode.Unauthorized, """{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""")
            .ThenThrow(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"))
            .Then((HttpStatusCode)418, "{}");
        var client = Client();

        var results = new[]
        {
            (await client.GetAccountAsync(Ct)).ToString(),
            (await client.GetOpenOrdersAsync("BTCUSDT", Ct)).ToString(),
            (await client.GetMyTradesAsync("BTCUSDT", 0, 10, Ct)).ToString(),
        };

        foreach (var text in results.Concat(_logs))
        {
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretText, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Clock_sync_uses_the_round_trip_midpoint()
    {
        var serverTime = _clock.GetUtcNow().ToUnixTimeMilliseconds() + 2000;
        _handler.Then(async _ =>
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"serverTime":{{serverTime}}}""") };
        });
        var client = Client();

        Assert.True((await client.SyncClockAsync(Ct)).IsSuccess);

        Assert.Equal(1950, client.ServerClock.OffsetMs);
        Assert.Equal(serverTime + 50, client.ServerClock.NowMs);
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add(formatter(state, exception) + exception);
                }
            }
        }
    }
}
