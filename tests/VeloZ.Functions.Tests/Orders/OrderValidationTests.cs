using System.Text;
using Microsoft.AspNetCore.Http;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Tests.Orders;

public sealed class OrderValidationTests
{
    private static async Task<(RequestBody? Body, string? Error, string? Message)> Read(string body, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        return await RequestBody.ReadAsync(context.Request, TestContext.Current.CancellationToken);
    }

    private static async Task<(OrderRequest? Order, FieldError? Error)> Order(string body, string? contentType = "application/json")
    {
        var (parsed, error, message) = await Read(body, contentType);
        Assert.True(parsed is not null, $"{error}: {message}");
        return OrderValidation.ValidateOrder(parsed);
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

    [Fact]
    public async Task Numbers_are_exact_decimals()
    {
        var (order, _) = await Order("""{"side":"buy","symbol":"BTCUSDT","qty":"0.1","price":0.30000000000000004}""");

        Assert.Equal(0.1m, order!.Qty);
        Assert.Equal(0.30000000000000004m, order.Price);
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

    [Fact]
    public async Task Oversized_bodies_are_refused_without_reading_them_all()
    {
        var (parsed, code, _) = await Read("{\"pad\":\"" + new string('x', RequestBody.MaxBytes) + "\"}");

        Assert.Null(parsed);
        Assert.Equal("bad_params", code);
    }

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
}
