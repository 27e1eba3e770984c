using VeloZ.Binance.Streams;

namespace VeloZ.Binance.Tests;

public sealed class StreamUrlTests
{
    [Theory]
    [InlineData("wss://stream.testnet.binance.vision", "wss://stream.testnet.binance.vision/stream?streams=btcusdt@trade/btcusdt@bookTicker")]
    [InlineData("wss://testnet.binance.vision/ws", "wss://testnet.binance.vision/stream?streams=btcusdt@trade/btcusdt@bookTicker")]
    [InlineData("wss://stream.binance.com:9443/ws", "wss://stream.binance.com:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker")]
    [InlineData("ws://127.0.0.1:5000/", "ws://127.0.0.1:5000/stream?streams=btcusdt@trade/btcusdt@bookTicker")]
    public void Combined_streams_use_lower_case_symbols_and_keep_the_stream_type(string baseUrl, string expected) =>
        Assert.Equal(expected, BinanceStreamUrls.Combined(new Uri(baseUrl), ["BTCUSDT@trade", "BTCUSDT@bookTicker"]).ToString());

    [Fact]
    public void Unicode_symbols_are_url_encoded() =>
        Assert.Equal("%EF%BD%81%EF%BD%82@trade", BinanceStreamUrls.Name("ＡＢ@trade"));
}
