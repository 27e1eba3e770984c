using System.Net.WebSockets;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>Market streams (Binance's web-socket-streams.md): raw and combined paths, payload fields, control messages, limits.</summary>
public sealed class MarketStreamTests
{
    private static async Task<WsTestClient> ConnectReadyAsync(TestVenue venue, string pathAndQuery)
    {
        var ws = await WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, pathAndQuery));

        // A round trip proves the session is subscribed and its timers are running.
        await ws.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":"ready"}""");
        await ws.NextMatchingAsync(m => (string?)m["id"] == "ready");
        return ws;
    }

    [Fact]
    public async Task Raw_trade_stream_sends_each_print_with_the_documented_fields()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await ConnectReadyAsync(venue, "/ws/btcusdt@trade");

        venue.Venue.Market.SetPrice("BTCUSDT", 50_100m);

        var trade = (await ws.NextAsync()).AsObject();
        Assert.Equal(["e", "E", "s", "t", "p", "q", "T", "m", "M"], trade.Select(p => p.Key));
        Assert.Equal("trade", (string?)trade["e"]);
        Assert.Equal("BTCUSDT", (string?)trade["s"]);
        Assert.Equal("50100.00000000", (string?)trade["p"]);
        Assert.True(decimal.Parse((string)trade["q"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(venue.NowMs, (long)trade["T"]!);
        Assert.True((long)trade["t"]! > 0);
    }

    [Fact]
    public async Task Book_ticker_has_no_event_type_or_time()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await ConnectReadyAsync(venue, "/ws/btcusdt@bookTicker");

        venue.Venue.Market.SetPrice("BTCUSDT", 50_200m);

        var book = (await ws.NextAsync()).AsObject();
        Assert.Equal(["u", "s", "b", "B", "a", "A"], book.Select(p => p.Key));
        Assert.Equal("50200.00000000", (string?)book["b"]);
        Assert.Equal("50200.01000000", (string?)book["a"]);
        Assert.Equal("0.60000000", (string?)book["B"]);
    }

    [Fact]
    public async Task Mini_ticker_updates_every_second_with_the_rolling_window()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await ConnectReadyAsync(venue, "/ws/btcusdt@miniTicker");
        venue.Venue.Market.SetPrice("BTCUSDT", 50_100m);
        venue.Venue.Market.SetPrice("BTCUSDT", 49_900m);
        await ws.AssertNoMessageAsync(TimeSpan.FromMilliseconds(100));

        venue.Time.Advance(TimeSpan.FromSeconds(1));

        var ticker = (await ws.NextAsync()).AsObject();
        Assert.Equal(["e", "E", "s", "c", "o", "h", "l", "v", "q"], ticker.Select(p => p.Key));
        Assert.Equal("24hrMiniTicker", (string?)ticker["e"]);
        Assert.Equal("49900.00000000", (string?)ticker["c"]);
        Assert.Equal("50100.00000000", (string?)ticker["o"]);
        Assert.Equal("50100.00000000", (string?)ticker["h"]);
        Assert.Equal("49900.00000000", (string?)ticker["l"]);
        Assert.Equal(venue.NowMs, (long)ticker["E"]!);
    }

    [Fact]
    public async Task Combined_stream_wraps_payloads_with_their_stream_name()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await ConnectReadyAsync(venue, "/stream?streams=btcusdt@trade/btcusdt@bookTicker");

        venue.Venue.Market.SetPrice("BTCUSDT", 50_300m);

        var trade = (await ws.NextAsync()).AsObject();
        Assert.Equal(["stream", "data"], trade.Select(p => p.Key));
        Assert.Equal("btcusdt@trade", (string?)trade["stream"]);
        Assert.Equal("trade", (string?)trade["data"]!["e"]);
        var book = await ws.NextAsync();
        Assert.Equal("btcusdt@bookTicker", (string?)book["stream"]);
        Assert.Equal("50300.00000000", (string?)book["data"]!["b"]);
    }

    [Fact]
    public async Task Control_messages_subscribe_list_unsubscribe_and_switch_to_combined()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, "/ws"));

        await ws.SendAsync("""{"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker"],"id":1}""");
        Assert.Equal("""{"result":null,"id":1}""", (await ws.NextAsync()).ToJsonString());
        await ws.SendAsync("""{"method":"UNSUBSCRIBE","params":["btcusdt@bookTicker"],"id":312}""");
        Assert.Equal("""{"result":null,"id":312}""", (await ws.NextAsync()).ToJsonString());
        await ws.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":3}""");
        Assert.Equal("""{"result":["btcusdt@trade"],"id":3}""", (await ws.NextAsync()).ToJsonString());
        await ws.SendAsync("""{"method":"SET_PROPERTY","params":["combined",true],"id":5}""");
        Assert.Equal("""{"result":null,"id":5}""", (await ws.NextAsync()).ToJsonString());
        await ws.SendAsync("""{"method":"GET_PROPERTY","params":["combined"],"id":2}""");
        Assert.Equal("""{"result":true,"id":2}""", (await ws.NextAsync()).ToJsonString());

        venue.Venue.Market.SetPrice("BTCUSDT", 50_400m);
        var message = await ws.NextAsync();
        Assert.Equal("btcusdt@trade", (string?)message["stream"]);
        await ws.AssertNoMessageAsync(TimeSpan.FromMilliseconds(100));

        // Five incoming messages per second at most: the next ones go into the next second of the venue clock.
        venue.Time.Advance(TimeSpan.FromSeconds(1));
        await ws.SendAsync("""{"method":"SUBSCRIBE","params":["ethusdt@trade"],"id":6}""");
        var unknown = await ws.NextAsync();
        Assert.Equal(2, (int)unknown["code"]!);
        Assert.Equal(6, (int)unknown["id"]!);
        await ws.SendAsync("""{"method":"SET_PROPERTY","params":["colour",true],"id":7}""");
        Assert.Equal("""{"code":0,"msg":"Unknown property","id":7}""", (await ws.NextAsync()).ToJsonString());
        await ws.SendAsync("""{"method":"SET_PROPERTY","params":["combined","yes"],"id":8}""");
        Assert.Equal(1, (int)(await ws.NextAsync())["code"]!);
        await ws.SendAsync("""{"method":"LIST_SUBSCRIPTIONS",""");
        Assert.Equal(3, (int)(await ws.NextAsync())["code"]!);
    }

    [Fact]
    public async Task Unknown_streams_in_the_url_are_refused()
    {
        await using var venue = await TestVenue.StartAsync();
        await Assert.ThrowsAsync<WebSocketException>(() => WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, "/ws/dogeusdt@trade")));
        await Assert.ThrowsAsync<WebSocketException>(() => WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, "/stream?streams=btcusdt@depth")));
    }

    [Fact]
    public async Task More_than_five_incoming_messages_a_second_disconnects()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, "/ws/btcusdt@trade"));

        for (var i = 0; i < 6; i++)
        {
            await ws.SendAsync($$"""{"method":"LIST_SUBSCRIPTIONS","id":{{i}}}""");
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ws.WaitClosedAsync());
    }

    [Theory]
    [InlineData("/ws/btcusdt@trade", false)]
    [InlineData("/stream?streams=btcusdt@trade", true)]
    public async Task Server_shutdown_is_announced_in_raw_and_combined_form(string path, bool combined)
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await ConnectReadyAsync(venue, path);

        venue.Venue.Faults.AnnounceServerShutdown();

        var payload = $$"""{"e":"serverShutdown","E":{{venue.NowMs}}}""";
        var expected = combined ? $$"""{"stream":"!serverShutdown","data":{{payload}}}""" : payload;
        Assert.Equal(expected, (await ws.NextAsync()).ToJsonString());
    }

    [Fact]
    public async Task Streams_end_after_24_hours_with_a_close_frame()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await ConnectReadyAsync(venue, "/ws/btcusdt@trade");

        venue.Time.Advance(TimeSpan.FromHours(24));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ws.WaitClosedAsync());
    }
}
