using System.Text.Json;
using VeloZ.Binance.Orders;
using VeloZ.Binance.Rest;
using VeloZ.Binance.UserData;
using VeloZ.Domain.Orders;

namespace VeloZ.Binance.Tests.Orders;

/// <summary>
/// Venue reports in the shapes Binance documents (New order ACK/RESULT/FULL, Query order, openOrders, myTrades, the
/// user data stream's Order update) become the order events the state machine expects, with venue and receive times.
/// </summary>
public sealed class VenueOrderReportsTests
{
    private const long Received = 1_800_000_000_000_000_000;

    private static BinanceOrder Order(string json) => JsonSerializer.Deserialize(json, BinanceJsonContext.Default.BinanceOrder)!;

    private static ExecutionReport Report(string json, DateTimeOffset receivedAt)
    {
        using var document = JsonDocument.Parse(json);
        return Assert.IsType<ExecutionReport>(UserDataEventParser.Parse(document.RootElement, receivedAt));
    }

    /// <summary>An execution report with only the fields Binance always sends for an order without a trade.</summary>
    private static ExecutionReport ShortReport(string c, string origC, string x, string status, long orderId) => Report($$"""
        {"e":"executionReport","E":2,"s":"BTCUSDT","c":"{{c}}","S":"SELL","o":"LIMIT","f":"GTC","q":"1","p":"2","C":"{{origC}}",
         "x":"{{x}}","X":"{{status}}","r":"NONE","i":{{orderId}},"l":"0","z":"0","L":"0","n":"0","N":null,"T":2,"t":-1,"Z":"0"}
        """, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_full_answer_becomes_ack_then_its_fills_at_transact_time_then_its_status()
    {
        var answer = Order("""
            {"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"my-1","transactTime":1507725176595,
             "price":"4000.00000000","origQty":"10.00000000","executedQty":"2.00000000","origQuoteOrderQty":"0.000000",
             "cummulativeQuoteQty":"8000.00000000","status":"PARTIALLY_FILLED","timeInForce":"GTC","type":"LIMIT","side":"BUY",
             "workingTime":1507725176595,"selfTradePreventionMode":"NONE",
             "fills":[{"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000","commissionAsset":"USDT","tradeId":56},
                      {"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000","commissionAsset":"USDT","tradeId":57}]}
            """);
        const long venue = 1507725176595_000_000;

        var events = VenueOrderReports.FromOrderAnswer(answer, Received);

        Assert.Equal(
            [
                new OrderAcknowledged(Received, "28") { VenueTsNs = venue, ReceivedTsNs = Received },
                new OrderFilled(Received, "28", new OrderFill(56, 1m, 4000m, venue, 4m, "USDT")) { VenueTsNs = venue, ReceivedTsNs = Received },
                new OrderFilled(Received, "28", new OrderFill(57, 1m, 4000m, venue, 4m, "USDT")) { VenueTsNs = venue, ReceivedTsNs = Received },
                new VenueOrderReport(Received, "28", OrderStatus.PartiallyFilled, 2m, 8000m, null) { VenueTsNs = venue, ReceivedTsNs = Received },
            ],
            events);
    }

    [Fact]
    public void An_ack_answer_has_no_status_and_no_fills()
    {
        var answer = Order("""{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"my-1","transactTime":1507725176595}""");

        var ack = Assert.IsType<OrderAcknowledged>(Assert.Single(VenueOrderReports.FromOrderAnswer(answer, Received)));

        Assert.Equal(("28", 1507725176595_000_000L, Received), (ack.VenueOrderId, ack.VenueTsNs!.Value, ack.ReceivedTsNs!.Value));
    }

    /// <summary>Every status word Binance sends that VeloZ maps (the mapping itself is tested where it lives).</summary>
    public static TheoryData<string> KnownStatuses => [.. BinanceOrderStatus.Known];

    [Theory]
    [MemberData(nameof(KnownStatuses))]
    public void A_queried_order_reports_its_status_with_cumulative_figures_at_its_update_time(string binanceStatus)
    {
        Assert.True(BinanceOrderStatus.TryMap(binanceStatus, out var expected));
        var order = Order($$"""
            {"symbol":"LTCBTC","orderId":1,"orderListId":-1,"clientOrderId":"myOrder1","price":"0.1","origQty":"1.0",
             "executedQty":"0.4","cummulativeQuoteQty":"0.04","status":"{{binanceStatus}}","timeInForce":"GTC","type":"LIMIT","side":"BUY",
             "stopPrice":"0.0","icebergQty":"0.0","time":1499827319559,"updateTime":1499827319560,"isWorking":true,
             "workingTime":1499827319559,"origQuoteOrderQty":"0.000000","selfTradePreventionMode":"NONE"}
            """);

        var report = VenueOrderReports.StatusOf(order, Received);

        // A REST answer gives no reason: rejections and expiries from it keep the state machine's own wording.
        Assert.Equal(new VenueOrderReport(Received, "1", expected, 0.4m, 0.04m, null) { VenueTsNs = 1499827319560_000_000, ReceivedTsNs = Received }, report);
    }

    [Theory]
    [InlineData("PENDING_CANCEL")]
    [InlineData("SOMETHING_NEW")]
    public void A_status_word_VeloZ_does_not_map_gives_no_status_report_but_the_rest_applies(string binanceStatus)
    {
        var order = Order($$"""{"symbol":"BTCUSDT","orderId":5,"clientOrderId":"c","executedQty":"0","cummulativeQuoteQty":"0","status":"{{binanceStatus}}","updateTime":1}""");

        Assert.Null(VenueOrderReports.StatusOf(order, Received));
        Assert.IsType<OrderAcknowledged>(Assert.Single(VenueOrderReports.FromOrderAnswer(order, Received)));
    }

    [Fact]
    public void A_trade_becomes_a_fill_of_its_order_at_the_trade_time()
    {
        var trades = JsonSerializer.Deserialize("""
            [{"symbol":"BNBBTC","id":28457,"orderId":100234,"orderListId":-1,"price":"4.00000100","qty":"12.00000000",
              "quoteQty":"48.000012","commission":"10.10000000","commissionAsset":"BNB","time":1499865549590,"isBuyer":true,
              "isMaker":false,"isBestMatch":true}]
            """, BinanceJsonContext.Default.IReadOnlyListBinanceTrade)!;

        var fill = VenueOrderReports.FromTrade(Assert.Single(trades), Received);

        const long venue = 1499865549590_000_000;
        Assert.Equal(new OrderFilled(Received, "100234", new OrderFill(28457, 12m, 4.000001m, venue, 10.1m, "BNB")) { VenueTsNs = venue, ReceivedTsNs = Received }, fill);
    }

    public static TheoryData<string, string, string?, OrderStatus, string?> ExecutionReports => new()
    {
        // x, X, eR → expected status and reason; a trade row carries t=991 and l/L.
        { "NEW", "NEW", null, OrderStatus.Accepted, null },
        { "TRADE", "PARTIALLY_FILLED", null, OrderStatus.PartiallyFilled, null },
        { "TRADE", "FILLED", null, OrderStatus.Filled, null },
        { "CANCELED", "CANCELED", null, OrderStatus.Cancelled, null },
        { "REJECTED", "REJECTED", null, OrderStatus.Rejected, "INSUFFICIENT_BALANCE" },
        { "EXPIRED", "EXPIRED", "UNFILLED_IOC_QUANTITY_EXPIRED", OrderStatus.Expired, "UNFILLED_IOC_QUANTITY_EXPIRED" },
        { "EXPIRED", "EXPIRED", null, OrderStatus.Expired, "expired" },
        { "TRADE_PREVENTION", "EXPIRED_IN_MATCH", null, OrderStatus.Expired, "expired" },
    };

    [Theory]
    [MemberData(nameof(ExecutionReports))]
    public void An_execution_report_becomes_ack_then_its_trade_then_its_status_at_the_event_time(string executionType, string status, string? expiryReason, OrderStatus expected, string? expectedReason)
    {
        var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(1784592000200);
        var rejectReason = status == "REJECTED" ? "INSUFFICIENT_BALANCE" : "NONE";
        var eR = expiryReason is null ? string.Empty : $",\"eR\":\"{expiryReason}\"";
        var isTrade = executionType == "TRADE";
        var report = Report($$"""
            {"e":"executionReport","E":1784592000123,"s":"BTCUSDT","c":"my-7","S":"BUY","o":"LIMIT","f":"GTC","q":"1.50000000","p":"50000.10000000",
             "P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"{{executionType}}","X":"{{status}}","r":"{{rejectReason}}","i":4242,
             "l":"{{(isTrade ? "0.25000000" : "0.00000000")}}","z":"0.25000000","L":"{{(isTrade ? "50000.10000000" : "0.00000000")}}",
             "n":"0.00012500","N":"BTC","T":1784592000120,"t":{{(isTrade ? 991 : -1)}},"I":12,"w":false,"m":false,"M":false,"O":1784592000001,
             "Z":"12500.02500000","Y":"12500.02500000","Q":"0.00000000","W":1784592000001,"V":"NONE"{{eR}}}
            """, receivedAt);
        const long venue = 1784592000123_000_000;
        const long received = 1784592000200_000_000;

        var (clientOrderId, events) = VenueOrderReports.FromExecutionReport(report);

        List<OrderEvent> expectedEvents = [new OrderAcknowledged(venue, "4242") { VenueTsNs = venue, ReceivedTsNs = received }];
        if (isTrade)
        {
            expectedEvents.Add(new OrderFilled(venue, "4242", new OrderFill(991, 0.25m, 50000.1m, 1784592000120_000_000, 0.000125m, "BTC")) { VenueTsNs = venue, ReceivedTsNs = received });
        }

        expectedEvents.Add(new VenueOrderReport(venue, "4242", expected, 0.25m, 12500.025m, expectedReason) { VenueTsNs = venue, ReceivedTsNs = received });
        Assert.Equal("my-7", clientOrderId);
        Assert.Equal(expectedEvents, events);
    }

    [Fact]
    public void A_cancel_report_is_about_the_original_client_order_id()
    {
        var report = ShortReport(c: "cxl-7", origC: "orig-7", x: "CANCELED", status: "CANCELED", orderId: 9);

        var (clientOrderId, events) = VenueOrderReports.FromExecutionReport(report);

        Assert.Equal("orig-7", clientOrderId);
        Assert.Equal(OrderStatus.Cancelled, Assert.IsType<VenueOrderReport>(events[^1]).Status);
    }

    [Fact]
    public void A_pending_cancel_report_still_acknowledges_the_order()
    {
        var report = ShortReport(c: "a", origC: "", x: "NEW", status: "PENDING_CANCEL", orderId: 10);

        var (_, events) = VenueOrderReports.FromExecutionReport(report);

        Assert.Equal("10", Assert.IsType<OrderAcknowledged>(Assert.Single(events)).VenueOrderId);
    }
}
