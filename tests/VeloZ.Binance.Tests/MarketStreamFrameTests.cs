using System.Text;
using System.Text.Json;
using VeloZ.Binance.Streams;

namespace VeloZ.Binance.Tests;

/// <summary>Market stream frames, raw and in the combined-stream envelope, and the combined URL of several symbols.</summary>
public sealed class MarketStreamFrameTests
{
    private static MarketStreamFrame Read(string json) => MarketStreamFrames.Read(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string, string, decimal, long> Trades => new()
    {
        // Binance's documented trade payload, combined.
        { """{"stream":"bnbbtc@trade","data":{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}}""", "BNBBTC", 0.001m, 1672515782136 },
        // The same payload raw.
        { """{"e":"trade","E":1672515782136,"s":"ETHUSDT","t":1,"p":"3001.25","q":"1","T":1672515782000,"m":false,"M":true}""", "ETHUSDT", 3001.25m, 1672515782000 },
        // No "s": the envelope's stream names the symbol.
        { """{"stream":"bnbusdt@trade","data":{"e":"trade","E":1,"t":1,"p":"600.10","q":"1","T":2,"m":false,"M":true}}""", "BNBUSDT", 600.10m, 2 },
        // A Unicode symbol.
        { """{"stream":"１２３４５６@trade","data":{"e":"trade","E":1,"s":"１２３４５６","t":1,"p":"0.1","q":"1","T":3,"m":false,"M":true}}""", "１２３４５６", 0.1m, 3 },
    };

    [Theory]
    [MemberData(nameof(Trades))]
    public void A_trade_gives_its_symbol_price_and_trade_time(string json, string symbol, decimal price, long tradeTime)
    {
        var frame = Read(json);

        Assert.Equal(MarketFrameKind.Trade, frame.Kind);
        Assert.Equal(symbol, frame.Symbol);
        Assert.Equal(price, frame.Price);
        Assert.Equal(tradeTime, frame.TradeTimeMs);
    }

    [Theory]
    [InlineData("""{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}""", MarketFrameKind.ServerShutdown)]
    [InlineData("""{"e":"serverShutdown","E":1770123456789}""", MarketFrameKind.ServerShutdown)]
    [InlineData("""{"stream":"bnbusdt@bookTicker","data":{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}""", MarketFrameKind.Other)]
    [InlineData("""{"result":null,"id":1}""", MarketFrameKind.Other)]
    [InlineData("""{"stream":"btcusdt@miniTicker","data":{"e":"24hrMiniTicker","E":1,"s":"BTCUSDT","c":"1"}}""", MarketFrameKind.Other)]
    [InlineData("""[1,2]""", MarketFrameKind.Other)]
    public void Frames_other_than_trades_are_told_apart(string json, MarketFrameKind kind)
    {
        var frame = Read(json);

        Assert.Equal(kind, frame.Kind);
        Assert.Null(frame.Symbol);
    }

    [Theory]
    [InlineData("""{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","p":"1"}}""")]
    [InlineData("""{"e":"trade","s":"BTCUSDT","p":"abc","T":1}""")]
    [InlineData("""{"stream":""")]
    public void A_malformed_trade_throws_so_the_connection_ends(string json) =>
        Assert.ThrowsAny<Exception>(() => Read(json));

    [Fact]
    public void Several_symbols_share_one_combined_stream_url_with_a_trade_and_a_book_ticker_each() =>
        Assert.Equal(
            "wss://stream.binance.com:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker/ethusdt@trade/ethusdt@bookTicker/bnbusdt@trade/bnbusdt@bookTicker",
            BinanceStreamUrls.Combined(new Uri("wss://stream.binance.com:9443"), BinanceStreamUrls.MarketStreams(["BTCUSDT", "ETHUSDT", "BNBUSDT"])).ToString());

    [Fact]
    public void A_malformed_frame_is_a_json_error() =>
        Assert.ThrowsAny<JsonException>(() => Read("not json"));
}
