using System.Net;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>
/// Matching against the simulated market: BTCUSDT at 50,000 (ask one tick above), 0.6 BTC of liquidity per
/// side per tick, 0.1 % commission in the asset received, starting balances 100,000 USDT and 2 BTC.
/// </summary>
public sealed class MatchingTests
{
    [Fact]
    public async Task A_resting_buy_goes_new_then_partially_filled_then_filled_as_the_price_falls()
    {
        await using var venue = await TestVenue.StartAsync();
        var placed = await venue.LimitBuyAsync("1", "49000", "rest-1");
        Assert.Equal("NEW", (string?)placed.Object["status"]);
        Assert.Empty(placed.Object["fills"]!.AsArray());
        Assert.Equal(("51000.00000000", "49000.00000000"), await venue.BalanceAsync("USDT"));

        venue.Venue.Market.SetPrice("BTCUSDT", 49_000.01m);
        Assert.Equal("NEW", (string?)(await venue.OrderAsync("rest-1"))["status"]);

        venue.Venue.Market.SetPrice("BTCUSDT", 48_990m);
        var partial = await venue.OrderAsync("rest-1");
        Assert.Equal("PARTIALLY_FILLED", (string?)partial["status"]);
        Assert.Equal("0.60000000", (string?)partial["executedQty"]);
        Assert.Equal("29400.00000000", (string?)partial["cummulativeQuoteQty"]);
        Assert.True((bool)partial["isWorking"]!);
        Assert.Equal(("51000.00000000", "19600.00000000"), await venue.BalanceAsync("USDT"));
        Assert.Equal(("2.59940000", "0.00000000"), await venue.BalanceAsync("BTC"));

        venue.Venue.Market.SetPrice("BTCUSDT", 48_980m);
        var filled = await venue.OrderAsync("rest-1");
        Assert.Equal("FILLED", (string?)filled["status"]);
        Assert.Equal("1.00000000", (string?)filled["executedQty"]);
        Assert.Equal("49000.00000000", (string?)filled["cummulativeQuoteQty"]);
        Assert.Equal(("51000.00000000", "0.00000000"), await venue.BalanceAsync("USDT"));
        Assert.Equal(("2.99900000", "0.00000000"), await venue.BalanceAsync("BTC"));

        var trades = (await venue.SignedAsync(HttpMethod.Get, "/api/v3/myTrades", $"symbol=BTCUSDT&orderId={filled["orderId"]}")).Body!.AsArray();
        Assert.Equal(2, trades.Count);
        Assert.Equal(["0.60000000", "0.40000000"], trades.Select(t => (string)t!["qty"]!));
        Assert.Equal(["0.00060000", "0.00040000"], trades.Select(t => (string)t!["commission"]!));
        Assert.All(trades, t =>
        {
            Assert.Equal("49000.00000000", (string?)t!["price"]);
            Assert.Equal("BTC", (string?)t["commissionAsset"]);
            Assert.True((bool)t["isBuyer"]!);
            Assert.True((bool)t["isMaker"]!);
            Assert.Equal(-1, (int)t["orderListId"]!);
        });
        Assert.True((long)trades[1]!["id"]! > (long)trades[0]!["id"]!);
        Assert.Equal(2, venue.Venue.Counters.Trades);
        Assert.Empty((await venue.SignedAsync(HttpMethod.Get, "/api/v3/openOrders", "symbol=BTCUSDT")).Body!.AsArray());
    }

    [Fact]
    public async Task Cancel_after_a_partial_fill_keeps_the_fill_and_releases_the_rest()
    {
        await using var venue = await TestVenue.StartAsync();
        await venue.LimitBuyAsync("1", "49000", "part-1");
        venue.Venue.Market.SetPrice("BTCUSDT", 49_000m);
        Assert.Equal("PARTIALLY_FILLED", (string?)(await venue.OrderAsync("part-1"))["status"]);

        var canceled = await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=part-1&newClientOrderId=cancel-1");

        Assert.Equal(HttpStatusCode.OK, canceled.Status);
        Assert.Equal("CANCELED", (string?)canceled.Object["status"]);
        Assert.Equal("part-1", (string?)canceled.Object["origClientOrderId"]);
        Assert.Equal("cancel-1", (string?)canceled.Object["clientOrderId"]);
        Assert.Equal("0.60000000", (string?)canceled.Object["executedQty"]);
        Assert.Equal(("70600.00000000", "0.00000000"), await venue.BalanceAsync("USDT"));
        Assert.Equal(("2.59940000", "0.00000000"), await venue.BalanceAsync("BTC"));

        venue.Venue.Market.SetPrice("BTCUSDT", 48_000m);
        Assert.Equal(1, venue.Venue.Counters.Trades);
    }

    [Fact]
    public async Task A_canceled_sell_releases_its_locked_base_asset()
    {
        await using var venue = await TestVenue.StartAsync();
        var placed = await venue.PlaceAsync("symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.5&price=51000&newOrderRespType=ACK");
        Assert.Equal(["symbol", "orderId", "orderListId", "clientOrderId", "transactTime"], placed.Object.Select(p => p.Key));
        Assert.Equal(("1.50000000", "0.50000000"), await venue.BalanceAsync("BTC"));

        var open = (await venue.SignedAsync(HttpMethod.Get, "/api/v3/openOrders", "symbol=BTCUSDT")).Body!.AsArray();
        Assert.Single(open);

        await venue.SignedAsync(HttpMethod.Delete, "/api/v3/order", $"symbol=BTCUSDT&orderId={placed.Object["orderId"]}");
        Assert.Equal(("2.00000000", "0.00000000"), await venue.BalanceAsync("BTC"));
    }

    [Fact]
    public async Task A_resting_sell_fills_when_the_price_rises_to_it()
    {
        await using var venue = await TestVenue.StartAsync();
        await venue.PlaceAsync("symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.3&price=50500&newClientOrderId=s1");
        venue.Venue.Market.SetPrice("BTCUSDT", 50_499.99m);
        Assert.Equal("NEW", (string?)(await venue.OrderAsync("s1"))["status"]);

        venue.Venue.Market.SetPrice("BTCUSDT", 50_600m);

        Assert.Equal("FILLED", (string?)(await venue.OrderAsync("s1"))["status"]);
        Assert.Equal(("115134.85000000", "0.00000000"), await venue.BalanceAsync("USDT"));
        Assert.Equal(("1.70000000", "0.00000000"), await venue.BalanceAsync("BTC"));
    }

    [Fact]
    public async Task A_crossing_limit_order_takes_at_the_ask_and_refunds_the_price_improvement()
    {
        await using var venue = await TestVenue.StartAsync();
        var response = await venue.PlaceAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=50100");

        Assert.Equal("FILLED", (string?)response.Object["status"]);
        var fill = Assert.Single(response.Object["fills"]!.AsArray())!;
        Assert.Equal("50000.01000000", (string?)fill["price"]);
        Assert.Equal("0.50000000", (string?)fill["qty"]);
        Assert.Equal("0.00050000", (string?)fill["commission"]);
        Assert.Equal("BTC", (string?)fill["commissionAsset"]);
        Assert.True((long)fill["tradeId"]! > 0);
        Assert.Equal(("74999.99500000", "0.00000000"), await venue.BalanceAsync("USDT"));
        Assert.Equal(("2.49950000", "0.00000000"), await venue.BalanceAsync("BTC"));

        var trade = Assert.Single((await venue.SignedAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=BTCUSDT")).Body!.AsArray())!;
        Assert.False((bool)trade["isMaker"]!);
    }

    [Theory]
    [InlineData("IOC", "EXPIRED", "0.60000000", "UNFILLED_IOC_QUANTITY_EXPIRED")]
    [InlineData("FOK", "EXPIRED", "0.00000000", "UNFILLED_FOK_ORDER_EXPIRED")]
    [InlineData("GTC", "PARTIALLY_FILLED", "0.60000000", null)]
    public async Task Time_in_force_decides_what_happens_to_an_unfilled_remainder(string timeInForce, string status, string executed, string? expiryReason)
    {
        await using var venue = await TestVenue.StartAsync();
        var response = await venue.PlaceAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce={timeInForce}&quantity=1&price=50100&newOrderRespType=RESULT");

        Assert.Equal(status, (string?)response.Object["status"]);
        Assert.Equal(executed, (string?)response.Object["executedQty"]);
        Assert.Equal(expiryReason, (string?)response.Object["expiryReason"]);
        Assert.Null(response.Object["fills"]);
        var usdtLocked = status == "PARTIALLY_FILLED" ? "20040.00000000" : "0.00000000";
        Assert.Equal(usdtLocked, (await venue.BalanceAsync("USDT")).Locked);
    }

    [Fact]
    public async Task A_market_order_by_quote_quantity_fills_at_the_ask()
    {
        await using var venue = await TestVenue.StartAsync();
        var response = await venue.PlaceAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=1000");

        Assert.Equal("FILLED", (string?)response.Object["status"]);
        Assert.Equal("MARKET", (string?)response.Object["type"]);
        Assert.Equal("0.00000000", (string?)response.Object["price"]);
        Assert.Equal("1000.00000000", (string?)response.Object["origQuoteOrderQty"]);
        Assert.Equal("0.01999000", (string?)response.Object["executedQty"]);
        Assert.Equal("999.50019990", (string?)response.Object["cummulativeQuoteQty"]);
    }

    [Fact]
    public async Task The_price_path_is_deterministic_for_a_seed()
    {
        static async Task<List<decimal>> PathAsync(int seed, int steps)
        {
            await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions { TimeProvider = time, PriceTickInterval = TimeSpan.Zero, Seed = seed });
            var prices = new List<decimal>();
            for (var i = 0; i < steps; i++)
            {
                venue.Venue.Market.Step();
                prices.Add(venue.Venue.Market.GetPrice("BTCUSDT"));
            }

            var ticker = await venue.GetAsync("/api/v3/ticker/price?symbol=BTCUSDT");
            Assert.Equal(prices[^1].ToString("F8", System.Globalization.CultureInfo.InvariantCulture), (string?)ticker.Object["price"]);
            return prices;
        }

        var first = await PathAsync(7, 25);
        var second = await PathAsync(7, 25);
        var other = await PathAsync(8, 25);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.All(first, p => Assert.Equal(0m, p % 0.01m));
        Assert.True(first.Distinct().Count() > 10);
    }

    [Fact]
    public async Task The_price_path_steps_on_its_own_on_the_venue_clock()
    {
        await using var manual = await TestVenue.StartAsync(time => new SimVenueOptions { TimeProvider = time, PriceTickInterval = TimeSpan.Zero, Seed = 3 });
        await using var timed = await TestVenue.StartAsync(time => new SimVenueOptions { TimeProvider = time, PriceTickInterval = TimeSpan.FromSeconds(1), Seed = 3 });
        manual.Venue.Market.Step();
        var expected = manual.Venue.Market.GetPrice("BTCUSDT");
        Assert.Equal(50_000m, timed.Venue.Market.GetPrice("BTCUSDT"));

        timed.Time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => timed.Venue.Market.GetPrice("BTCUSDT") == expected);
    }

    [Fact]
    public async Task Public_endpoints_answer_with_binance_shapes()
    {
        await using var venue = await TestVenue.StartAsync();
        Assert.Empty((await venue.GetAsync("/api/v3/ping")).Object);
        Assert.Equal(venue.NowMs, (long)(await venue.GetAsync("/api/v3/time")).Object["serverTime"]!);

        var book = await venue.GetAsync("/api/v3/ticker/bookTicker?symbol=BTCUSDT");
        Assert.Equal(new JsonObject
        {
            ["symbol"] = "BTCUSDT",
            ["bidPrice"] = "50000.00000000",
            ["bidQty"] = "0.60000000",
            ["askPrice"] = "50000.01000000",
            ["askQty"] = "0.60000000",
        }.ToJsonString(), book.Object.ToJsonString());
        Assert.Single((await venue.GetAsync("/api/v3/ticker/price")).Body!.AsArray());

        var info = await venue.GetAsync("/api/v3/exchangeInfo");
        var symbol = info.Object["symbols"]![0]!;
        Assert.Equal("TRADING", (string?)symbol["status"]);
        var filters = symbol["filters"]!.AsArray();
        Assert.Equal(["PRICE_FILTER", "LOT_SIZE", "NOTIONAL"], filters.Select(f => (string)f!["filterType"]!));
        Assert.Equal("0.01000000", (string?)filters[0]!["tickSize"]);
        Assert.Equal("0.00001000", (string?)filters[1]!["stepSize"]);
        Assert.Equal("5.00000000", (string?)filters[2]!["minNotional"]);
        var limits = info.Object["rateLimits"]!.AsArray();
        Assert.Contains(limits, l => (string?)l!["rateLimitType"] == "REQUEST_WEIGHT" && (int)l["limit"]! == 6000);
        Assert.Contains(limits, l => (string?)l!["rateLimitType"] == "ORDERS" && (string?)l["interval"] == "SECOND" && (int)l["intervalNum"]! == 10);
    }
}
