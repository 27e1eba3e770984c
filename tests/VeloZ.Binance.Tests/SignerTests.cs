using VeloZ.Binance.Rest;
using VeloZ.Binance.Signing;
using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Tests;

/// <summary>The official worked examples of Binance's rest-api.md "SIGNED Endpoint Examples" and web-socket-api.md "SIGNED request example (HMAC)", signed with the documentation's key pair.</summary>
public sealed class SignerTests
{
    private const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private static readonly BinanceSigner s_signer = new(new Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));

    [Fact]
    public void Rest_example_R1() => Assert.Equal(
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
        s_signer.SignRest("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"));

    [Fact]
    public void Rest_example_R2_unicode_symbol_is_percent_encoded_before_signing()
    {
        var payload = new BinanceParameters()
            .Add("symbol", "１２３４５６").Add("side", "BUY").Add("type", "LIMIT").Add("timeInForce", "GTC")
            .Add("quantity", 1m).Add("price", 0.1m).Add("recvWindow", 5000).Add("timestamp", 1499827319559)
            .ToEncodedString();

        Assert.Equal("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", payload);
        Assert.Equal("e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", s_signer.SignRest(payload));
    }

    [Fact]
    public void Rest_example_R3_query_and_body_are_concatenated() => Assert.Equal(
        "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
        s_signer.SignRest("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC", "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"));

    public static TheoryData<string, string> WebSocketExamples => new()
    {
        { "price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT", "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24" },
        { "price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT", "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd" },
        { "price=23416.10000000&quantity=0.00847000&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1660801715431&type=LIMIT", "15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88" },
        { "origClientOrderId=4d96324ff9d44481926157&symbol=BTCUSDT&timestamp=1660801715830", "33d5b721f278ae17a52f004a82a6f68a70c68e7dd6776ed0be77a455ab855282" },
        { "orderId=12569099453&symbol=BTCUSDT&timestamp=1660801720951", "2c3aab5a078ee4ea465ecd95523b77289f61476c2f238ec10c55ea6cb11a6f35" },
        { "timestamp=1649729878532", "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed" },
        { "timestamp=1747385641636", "681110a6057ad58657af22f5640fab9dd17418834cdfccdc81be8b0f7b2cde3e" },
    };

    [Theory]
    [MemberData(nameof(WebSocketExamples))]
    public void WebSocket_examples_sign_sorted_raw_parameters(string parametersWithoutKey, string expected)
    {
        // Given in a shuffled order (reversed, signature included) to prove sorting and exclusion.
        var parameters = parametersWithoutKey.Split('&')
            .Select(p => p.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(kv[0], kv[1]))
            .Append(new("apiKey", ApiKey))
            .Append(new("signature", "ignored"))
            .Reverse();

        Assert.Equal(expected, s_signer.SignWebSocket(parameters));
    }

    [Theory]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("42000.50", "42000.5")]
    [InlineData("100000000", "100000000")]
    [InlineData("100000000.00000000", "100000000")]
    public void Decimals_go_on_the_wire_without_exponent_or_trailing_zeros(string text, string wire)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("q=" + wire, new BinanceParameters().Add("q", value).ToEncodedString());
        Assert.Equal("q=0.00000001", new BinanceParameters().Add("q", 1e-8m).ToEncodedString());
    }

    [Fact]
    public void Reserved_characters_in_values_are_encoded() =>
        Assert.Equal("a=x%26y%3Dz%20w&b=my-order_1.~", new BinanceParameters().Add("a", "x&y=z w").Add("b", "my-order_1.~").ToEncodedString());
}
