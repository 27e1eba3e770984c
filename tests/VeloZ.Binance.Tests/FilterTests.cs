using VeloZ.Binance.Filters;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Orders;

namespace VeloZ.Binance.Tests;

public sealed class FilterTests
{
    private static readonly SymbolRules s_btc = SymbolRules.From(new BinanceSymbolInfo("BTCUSDT", "TRADING", "BTC", "USDT",
    [
        new BinanceFilter("PRICE_FILTER", MinPrice: 0.01m, MaxPrice: 1000000m, TickSize: 0.01m),
        new BinanceFilter("LOT_SIZE", MinQty: 0.00001m, MaxQty: 9000m, StepSize: 0.00001m),
        new BinanceFilter("NOTIONAL", MinNotional: 5m, MaxNotional: 9000000m),
        new BinanceFilter("PERCENT_PRICE_BY_SIDE"),
    ]));

    [Theory]
    [InlineData(40000.00, 0.001, null)]
    [InlineData(40000.005, 0.001, "PRICE_FILTER")]
    [InlineData(0.001, 10000, "PRICE_FILTER")]
    [InlineData(2000000, 0.001, "PRICE_FILTER")]
    [InlineData(40000, 0.000001, "LOT_SIZE")]
    [InlineData(40000, 0.000015, "LOT_SIZE")]
    [InlineData(40000, 10000, "LOT_SIZE")]
    [InlineData(100, 0.01, "NOTIONAL")]
    [InlineData(999999, 9000, "NOTIONAL")]
    [InlineData(5, 1, null)]
    public void Limit_orders_are_checked_in_decimal(decimal price, decimal quantity, string? failing) =>
        Assert.Equal(failing, s_btc.Check(price, quantity)?.Filter);

    [Fact]
    public void Zero_valued_rules_are_off_and_absent_filters_are_not_applied()
    {
        var rules = SymbolRules.From(new BinanceSymbolInfo("X", "TRADING", "A", "B",
        [
            new BinanceFilter("PRICE_FILTER", MinPrice: 0m, MaxPrice: 0m, TickSize: 0.5m),
            new BinanceFilter("MIN_NOTIONAL", MinNotional: 10m),
        ]));

        Assert.Null(rules.Check(1000000.5m, 123.456789m));
        Assert.Equal("PRICE_FILTER", rules.Check(1.25m, 100m)?.Filter);
        Assert.Equal("MIN_NOTIONAL", rules.Check(1m, 9.99m)?.Filter);
    }

    [Theory]
    [InlineData(0.001, null, null)]
    [InlineData(0.000015, null, "LOT_SIZE")]
    [InlineData(10000.0, null, "LOT_SIZE")]
    [InlineData(null, 5.0, null)]
    [InlineData(null, 4.99, "NOTIONAL")]
    public void Market_orders_are_checked_against_what_is_known_before_they_execute(double? qty, double? quoteQty, string? failing)
    {
        var ticket = new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Market, (decimal?)qty, (decimal?)quoteQty, null, null);

        Assert.Equal(failing, s_btc.Check(ticket)?.Filter);
    }

    [Fact]
    public void Limit_tickets_of_every_time_in_force_and_limit_maker_are_checked_like_limit_orders()
    {
        Assert.Equal("PRICE_FILTER", s_btc.Check(new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Limit, 0.001m, null, 40000.005m, TimeInForce.Fok))?.Filter);
        Assert.Equal("NOTIONAL", s_btc.Check(new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.LimitMaker, 0.0001m, null, 40000m, null))?.Filter);
        Assert.Null(s_btc.Check(OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 0.001m, 40000m)));
    }

    [Fact]
    public void What_a_symbol_does_not_offer_is_named_by_the_request_field()
    {
        var rules = SymbolRules.From(new BinanceSymbolInfo("ETHBTC", "TRADING", "ETH", "BTC", [])
        {
            OrderTypes = ["LIMIT", "MARKET"],
            QuoteOrderQtyMarketAllowed = false,
            AllowedSelfTradePreventionModes = ["NONE", "EXPIRE_TAKER"],
        });

        Assert.Equal("type", rules.Unsupported(new OrderTicket("ETHBTC", OrderSide.Buy, OrderType.LimitMaker, 1m, null, 0.05m, null))?.Field);
        Assert.Equal("quote_qty", rules.Unsupported(new OrderTicket("ETHBTC", OrderSide.Buy, OrderType.Market, null, 1m, null, null))?.Field);
        Assert.Equal("self_trade_prevention", rules.Unsupported(OrderTicket.Limit("ETHBTC", OrderSide.Buy, 1m, 0.05m) with { SelfTradePrevention = SelfTradePrevention.ExpireBoth })?.Field);
        Assert.Null(rules.Unsupported(new OrderTicket("ETHBTC", OrderSide.Buy, OrderType.Market, 1m, null, null, null, SelfTradePrevention.ExpireTaker)));
        Assert.Null(s_btc.Unsupported(new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.LimitMaker, 1m, null, 0.05m, null, SelfTradePrevention.Decrement)));
    }

    [Fact]
    public void Point_one_plus_point_two_is_exactly_on_the_tick() =>
        Assert.Null(s_btc.Check(0.1m + 0.2m + 40000m, 0.001m));
}
