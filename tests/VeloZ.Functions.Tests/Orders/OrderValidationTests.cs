using System.Text;
using Microsoft.AspNetCore.Http;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Tests.Orders;

public sealed class OrderValidationTests
{
    private static async Task<(RequestBody? Body, string? Error, string? Message)> Read(string body, string? contentType = "application/json")
    {
        var (parsed, _, error, message) = await ReadWithStatus(body, contentType);
        return (parsed, error, message);
    }

    private static async Task<(RequestBody? Body, int Status, string? Error, string? Message)> ReadWithStatus(string body, string? contentType = "application/json", bool declareLength = true, bool emptyAllowed = false)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = declareLength ? bytes.Length : null;
        context.Request.ContentType = contentType;
        return await RequestBody.ReadAsync(context.Request, emptyAllowed, TestContext.Current.CancellationToken);
    }

    private static async Task<(OrderRequest? Order, FieldError? Error)> Order(string body, string? contentType = "application/json")
    {
        var (parsed, error, message) = await Read(body, contentType);
        Assert.True(parsed is not null, $"{error}: {message}");
        return OrderValidation.ValidateOrder(parsed);
    }

    public static TheoryData<string, string?, OrderTicket?> Kinds => new()
    {
        { """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000,"type":null,"time_in_force":null}""", "application/json", OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 0.001m, 40000m) },
        { """{"side":"sell","symbol":"btcusdt","qty":"0.5","price":"41000","type":"limit","time_in_force":"ioc","self_trade_prevention":"expire_both"}""", "application/json",
            new OrderTicket("BTCUSDT", OrderSide.Sell, OrderType.Limit, 0.5m, null, 41000m, TimeInForce.Ioc, SelfTradePrevention.ExpireBoth) },
        { "side=BUY&symbol=BTCUSDT&type=MARKET&quote_qty=100.25", "application/x-www-form-urlencoded",
            new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Market, null, 100.25m, null, null) },
        { "side=BUY&symbol=BTCUSDT&type=LIMIT_MAKER&qty=1&price=2", "application/x-www-form-urlencoded",
            new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.LimitMaker, 1m, null, 2m, null) },
        { "side=BUY&symbol=BTCUSDT&qty=1&price=2&colour=blue", "application/x-www-form-urlencoded", null },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_order_type_is_read_from_json_and_form_bodies(string body, string? contentType, OrderTicket? expected)
    {
        var (order, error) = await Order(body, contentType);

        Assert.Equal(expected, order?.Ticket);
        Assert.Equal(expected is null ? "colour" : null, error?.Field);
    }

    [Fact]
    public async Task A_field_name_is_shown_back_only_as_safe_characters()
    {
        var (_, error) = await Order("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":2,"<script>alert(1)</script>":1}""");

        Assert.NotNull(error);
        Assert.StartsWith("?script?alert?1???script? is not a field of an order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seed_example_is_a_valid_order()
    {
        var (order, error) = await Order("""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000.0,"client_order_id":"my-order-001"}""");

        Assert.Null(error);
        Assert.Equal(new OrderRequest(OrderSide.Buy, "BTCUSDT", 0.001m, 40000.0m, "my-order-001"), order);
    }

    [Fact]
    public async Task Form_bodies_are_accepted_like_the_original_gateway()
    {
        var (order, error) = await Order("side=sell&symbol=btcusdt&qty=0.5&price=41000.25", "application/x-www-form-urlencoded");

        Assert.Null(error);
        Assert.Equal(new OrderRequest(OrderSide.Sell, "BTCUSDT", 0.5m, 41000.25m, null), order);
    }

    [Theory]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.1000000000000000000000000000001,"price":40000}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":"0.1000000000000000000000000000001","price":40000}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000.00000000000000000000000001}""", "price")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":"1234567890.1234567890123456789012"}""", "price")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1e-30,"price":40000}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":4.00000000000000000000000000001e4}""", "price")]
    public async Task Numbers_beyond_what_a_decimal_holds_are_refused_not_rounded(string json, string field)
    {
        var (order, error) = await Order(json);

        Assert.Null(order);
        Assert.Equal(field, error!.Field);
        Assert.Contains("digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_beyond_what_a_decimal_holds_are_refused_in_form_bodies_too()
    {
        var (order, error) = await Order("side=buy&symbol=BTCUSDT&qty=0.1000000000000000000000000000001&price=40000", "application/x-www-form-urlencoded");

        Assert.Null(order);
        Assert.Equal("qty", error!.Field);
    }

    [Theory]
    [InlineData("0.10")]
    [InlineData("1e2")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("12345678.12345678901234567890")]
    public async Task Exact_numbers_with_zeros_or_exponents_are_kept(string qty)
    {
        var (order, error) = await Order($$"""{"side":"BUY","symbol":"BTCUSDT","qty":{{qty}},"price":40000}""");

        Assert.Null(error);
        Assert.Equal(decimal.Parse(qty, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture), order!.Ticket.Qty);
    }

    [Fact]
    public async Task Numbers_are_exact_decimals()
    {
        var (order, _) = await Order("""{"side":"buy","symbol":"BTCUSDT","qty":"0.1","price":0.30000000000000004}""");

        Assert.Equal(0.1m, order!.Ticket.Qty);
        Assert.Equal(0.30000000000000004m, order.Ticket.Price);
    }

    [Theory]
    [InlineData("""{"symbol":"BTCUSDT","qty":1,"price":1}""", "side")]
    [InlineData("""{"side":"HOLD","symbol":"BTCUSDT","qty":1,"price":1}""", "side")]
    [InlineData("""{"side":1,"symbol":"BTCUSDT","qty":1,"price":1}""", "side")]
    [InlineData("""{"side":"BUY","qty":1,"price":1}""", "symbol")]
    [InlineData("""{"side":"BUY","symbol":"BTC/USDT","qty":1,"price":1}""", "symbol")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0,"price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":-1,"price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":"NaN","price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":"Infinity","price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1e400,"price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":true,"price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":[1],"price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":"1e3","price":1}""", "qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":null}""", "price")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":123456789012345678901234567890}""", "price")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":1,"client_order_id":"has.dot"}""", "client_order_id")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":1,"client_order_id":"0123456789012345678901234567890123456"}""", "client_order_id")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":1,"client_order_id":"ünïcode"}""", "client_order_id")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":1,"price":1,"client_order_id":7}""", "client_order_id")]
    public async Task Bad_fields_are_named(string body, string field)
    {
        var (order, error) = await Order(body);

        Assert.Null(order);
        Assert.Equal(field, error!.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("{not json", "bad_json")]
    [InlineData("[1,2]", "bad_json")]
    [InlineData("\"text\"", "bad_json")]
    [InlineData("", "bad_json")]
    [InlineData("""{"side":"BUY","side":"SELL"}""", "bad_params")]
    public async Task Unreadable_bodies_are_refused(string body, string error)
    {
        var (parsed, code, message) = await Read(body);

        Assert.Null(parsed);
        Assert.Equal(error, code);
        Assert.NotNull(message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oversized_bodies_are_413_whether_their_length_is_declared_or_not(bool declared)
    {
        var (parsed, status, code, _) = await ReadWithStatus("{\"pad\":\"" + new string('x', RequestBody.MaxBytes) + "\"}", declareLength: declared);

        Assert.Null(parsed);
        Assert.Equal((413, "body_too_large"), (status, code));
    }

    [Fact]
    public async Task A_declared_oversized_body_is_refused_before_a_byte_is_read()
    {
        var context = new DefaultHttpContext();
        var body = new CountingStream();
        context.Request.Body = body;
        context.Request.ContentLength = 100_000_000;
        context.Request.ContentType = "application/json";

        var (parsed, status, _, _) = await RequestBody.ReadAsync(context.Request, false, TestContext.Current.CancellationToken);

        Assert.Null(parsed);
        Assert.Equal(413, status);
        Assert.Equal(0, body.BytesRead);
    }

    [Theory]
    [InlineData("application/json", 200)]
    [InlineData("application/json; charset=utf-8", 200)]
    [InlineData("Application/JSON; charset=\"UTF-8\"", 200)]
    [InlineData("text/plain;charset=UTF-8", 200)]
    [InlineData(null, 200)]
    [InlineData("application/xml", 415)]
    [InlineData("multipart/form-data; boundary=x", 415)]
    [InlineData("application/json; charset=iso-8859-1", 415)]
    [InlineData("not a media type", 415)]
    public async Task Only_json_form_and_plain_text_bodies_in_utf8_are_read(string? contentType, int expected)
    {
        var (_, status, error, _) = await ReadWithStatus("""{"side":"BUY"}""", contentType);

        Assert.Equal(expected, status);
        if (expected == 415)
        {
            Assert.Equal("unsupported_media_type", error);
        }
    }

    [Fact]
    public async Task An_empty_body_is_an_empty_request_only_where_allowed()
    {
        Assert.Equal("bad_json", (await ReadWithStatus("", emptyAllowed: false)).Error);
        Assert.NotNull((await ReadWithStatus("", emptyAllowed: true)).Body);
    }

    [Theory]
    [InlineData("BTCUSDT", "BTCUSDT")]
    [InlineData("btcusdt", "BTCUSDT")]
    [InlineData("１２３４５６", "１２３４５６")]
    [InlineData("币安人生USDT", "币安人生USDT")]
    [InlineData("A", "A")]
    [InlineData("ABCDEFGHIJ0123456789", "ABCDEFGHIJ0123456789")]
    [InlineData("ABCDEFGHIJ01234567890", null)]
    [InlineData("", null)]
    [InlineData("BTC USDT", null)]
    [InlineData("BTC-USDT", null)]
    [InlineData("BTC\u0000USDT", null)]
    [InlineData("BTC\u200BUSDT", null)]
    [InlineData("BTC😀", null)]
    [InlineData("Ⅻ", null)]
    [InlineData("ß", null)]
    public void Symbols_follow_binances_rule(string text, string? expected) =>
        Assert.Equal(expected, Symbols.Normalize(text));

    [Fact]
    public async Task Cancel_needs_a_client_order_id_and_takes_an_optional_symbol()
    {
        var (missing, missingError) = OrderValidation.ValidateCancel((await Read("""{"symbol":"BTCUSDT"}""")).Body!);
        var (cancel, error) = OrderValidation.ValidateCancel((await Read("""{"client_order_id":"my-order-001"}""")).Body!);

        Assert.Null(missing);
        Assert.Equal("client_order_id", missingError!.Field);
        Assert.Null(error);
        Assert.Equal(new CancelRequest("my-order-001", null), cancel);
    }

    [Fact]
    public void Control_characters_in_field_names_never_reach_a_message() =>
        Assert.Equal("a?b", RequestBody.Sanitize("a\nb"));

    /// <summary>A body that counts what is read from it.</summary>
    private sealed class CountingStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'x', offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
