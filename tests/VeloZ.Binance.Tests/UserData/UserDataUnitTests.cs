using System.Text.Json;
using VeloZ.Binance.Signing;
using VeloZ.Binance.UserData;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Time;

namespace VeloZ.Binance.Tests.UserData;

/// <summary>The subscription request (the signed example of Binance's web-socket-api.md), the back-off, the event parser and option validation.</summary>
public sealed class UserDataUnitTests
{
    private const string DocsApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private static readonly BinanceSigner s_docsSigner = new(new Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));

    [Fact]
    public void Subscribe_request_without_recv_window_is_signed_exactly_as_example_W7()
    {
        var json = UserDataRequests.Subscribe("s1", DocsApiKey, 1747385641636, null, s_docsSigner);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("s1", root.GetProperty("id").GetString());
        Assert.Equal("userDataStream.subscribe.signature", root.GetProperty("method").GetString());
        var parameters = root.GetProperty("params");
        Assert.Equal(["apiKey", "timestamp", "signature"], parameters.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DocsApiKey, parameters.GetProperty("apiKey").GetString());
        Assert.Equal(1747385641636, parameters.GetProperty("timestamp").GetInt64());
        Assert.Equal("681110a6057ad58657af22f5640fab9dd17418834cdfccdc81be8b0f7b2cde3e", parameters.GetProperty("signature").GetString());
    }

    [Fact]
    public void Subscribe_request_with_recv_window_signs_the_sorted_raw_parameters()
    {
        var json = UserDataRequests.Subscribe("s2", DocsApiKey, 1747385641636, 5000, s_docsSigner);

        var parameters = JsonDocument.Parse(json).RootElement.GetProperty("params");
        Assert.Equal(5000, parameters.GetProperty("recvWindow").GetInt32());
        var expected = s_docsSigner.SignWebSocket([new("apiKey", DocsApiKey), new("recvWindow", "5000"), new("timestamp", "1747385641636")]);
        Assert.Equal(expected, parameters.GetProperty("signature").GetString());
        Assert.NotEqual("681110a6057ad58657af22f5640fab9dd17418834cdfccdc81be8b0f7b2cde3e", expected);
    }

    [Fact]
    public void Unsubscribe_and_ping_requests_carry_no_credentials()
    {
        Assert.Equal("""{"id":"u","method":"userDataStream.unsubscribe","params":{"subscriptionId":3}}""", UserDataRequests.Unsubscribe("u", 3));
        Assert.Equal("""{"id":"p","method":"ping"}""", UserDataRequests.Ping("p"));
    }

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 1.0, 1000)]
    [InlineData(1, 0.0, 1000)]
    [InlineData(3, 0.5, 6000)]
    [InlineData(6, 1.0, 60000)]
    [InlineData(20, 0.0, 30000)]
    [InlineData(1000, 1.0, 60000)]
    public void Backoff_doubles_with_equal_jitter_up_to_the_cap(int attempt, double random, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), random));

    [Fact]
    public void Backoff_never_shrinks_before_the_cap_whatever_the_jitter()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var worstNext = Backoff.Delay(attempt + 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 0);
            var bestThis = Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 1);
            Assert.True(worstNext >= bestThis);
        }
    }

    [Fact]
    public void Execution_report_fields_are_parsed_invariant_with_optional_expiry_reason()
    {
        var receivedAt = new DateTimeOffset(2026, 7, 21, 0, 0, 1, TimeSpan.Zero);
        using var document = JsonDocument.Parse("""
            {"e":"executionReport","E":1784592000123,"s":"BTCUSDT","c":"cxl-7","S":"SELL","o":"LIMIT","f":"IOC","q":"1.50000000","p":"50000.10000000",
             "P":"0.00000000","F":"0.00000000","g":-1,"C":"orig-7","x":"EXPIRED","X":"EXPIRED","r":"NONE","i":4242,"l":"0.25000000","z":"1.25000000",
             "L":"50000.10000000","n":"0.00012500","N":"BTC","T":1784592000120,"t":991,"I":12,"w":false,"m":false,"M":false,"O":1784592000001,
             "Z":"62500.12500000","Y":"12500.02500000","Q":"0.00000000","W":1784592000001,"V":"NONE","eR":"UNFILLED_IOC_QUANTITY_EXPIRED"}
            """);

        var report = Assert.IsType<ExecutionReport>(UserDataEventParser.Parse(document.RootElement, receivedAt));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1784592000123), report.EventTime);
        Assert.Equal(receivedAt, report.ReceivedAt);
        Assert.Equal(("BTCUSDT", "cxl-7", "orig-7", "SELL", "LIMIT", "IOC"), (report.Symbol, report.ClientOrderId, report.OrigClientOrderId, report.Side, report.OrderType, report.TimeInForce));
        Assert.Equal((1.5m, 50000.1m, 0.25m, 1.25m, 50000.1m), (report.Quantity, report.Price, report.LastQuantity, report.CumulativeQuantity, report.LastPrice));
        Assert.Equal(("EXPIRED", "EXPIRED", "NONE"), (report.ExecutionType, report.Status, report.RejectReason));
        Assert.Equal((4242L, 991L), (report.OrderId, report.TradeId));
        Assert.Equal((0.000125m, "BTC", 62500.125m), (report.Commission, report.CommissionAsset, report.CumulativeQuoteQuantity));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1784592000120), report.TransactTime);
        Assert.Equal("UNFILLED_IOC_QUANTITY_EXPIRED", report.ExpiryReason);
        Assert.False(report.IsTrade);
    }

    [Fact]
    public void A_new_order_has_no_commission_asset_and_no_expiry_reason()
    {
        using var document = JsonDocument.Parse("""
            {"e":"executionReport","E":1,"s":"BTCUSDT","c":"a","S":"BUY","o":"LIMIT","f":"GTC","q":"1","p":"2","C":"","x":"NEW","X":"NEW","r":"NONE",
             "i":1,"l":"0","z":"0","L":"0","n":"0","N":null,"T":1,"t":-1,"Z":"0"}
            """);

        var report = Assert.IsType<ExecutionReport>(UserDataEventParser.Parse(document.RootElement, DateTimeOffset.UnixEpoch));

        Assert.Null(report.CommissionAsset);
        Assert.Null(report.ExpiryReason);
        Assert.Equal(string.Empty, report.OrigClientOrderId);
        Assert.Equal(-1, report.TradeId);
    }

    [Fact]
    public void Account_balance_and_termination_events_are_parsed_and_unknown_ones_skipped()
    {
        static UserDataVenueEvent? Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            return UserDataEventParser.Parse(document.RootElement, DateTimeOffset.UnixEpoch);
        }

        var position = Assert.IsType<AccountPositionUpdate>(Parse("""{"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,"B":[{"a":"ETH","f":"10000.000000","l":"0.000000"},{"a":"BTC","f":"1.5","l":"0.25"}]}"""));
        Assert.Equal([new AccountBalance("ETH", 10000m, 0m), new AccountBalance("BTC", 1.5m, 0.25m)], position.Balances);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1564034571073), position.LastUpdateTime);

        var balance = Assert.IsType<BalanceUpdate>(Parse("""{"e":"balanceUpdate","E":1573200697110,"a":"BTC","d":"-100.00000000","T":1573200697068}"""));
        Assert.Equal(("BTC", -100m), (balance.Asset, balance.Delta));

        Assert.IsType<UserStreamTerminated>(Parse("""{"e":"eventStreamTerminated","E":1728973001334}"""));
        Assert.Null(Parse("""{"e":"externalLockUpdate","E":1581557507324,"a":"NEO","d":"10.00000000","T":1581557507268}"""));
        Assert.Throws<FormatException>(() => Parse("""{"e":"balanceUpdate","E":1,"a":"BTC","d":"1e5","T":1}"""));
    }

    [Fact]
    public void Options_are_validated_with_the_setting_named()
    {
        var valid = new BinanceUserDataStreamOptions { WebSocketApiUrl = new Uri("wss://ws-api.testnet.binance.vision/ws-api/v3"), ApiKey = new Secret("k"), ApiSecret = new Secret("s") };
        valid.Validate();
        Assert.Equal(TimeSpan.FromHours(23), valid.RotateAfter);

        Assert.Equal("WebSocketApiUrl", Assert.Throws<ArgumentException>(() => (valid with { WebSocketApiUrl = new Uri("https://api.binance.com") }).Validate()).ParamName);
        Assert.Equal("ApiKey", Assert.Throws<ArgumentException>(() => (valid with { ApiSecret = Secret.Empty }).Validate()).ParamName);
        Assert.Equal("RecvWindowMs", Assert.Throws<ArgumentException>(() => (valid with { RecvWindowMs = 60_001 }).Validate()).ParamName);
        Assert.Equal("ReconnectMaxDelay", Assert.Throws<ArgumentException>(() => (valid with { ReconnectMaxDelay = TimeSpan.FromMilliseconds(1) }).Validate()).ParamName);
        Assert.Equal("SilenceTimeout", Assert.Throws<ArgumentException>(() => (valid with { SilenceTimeout = TimeSpan.FromSeconds(30) }).Validate()).ParamName);
        Assert.Equal("RotateAfter", Assert.Throws<ArgumentException>(() => (valid with { RotateAfter = TimeSpan.Zero }).Validate()).ParamName);
    }
}
