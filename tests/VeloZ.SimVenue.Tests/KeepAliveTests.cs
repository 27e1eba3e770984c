using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>Ping/pong as Binance does it (Binance's web-socket-api.md and web-socket-streams.md "General API Information"): server ping every 20 s, no pong for a minute → disconnect.</summary>
public sealed class KeepAliveTests
{
    private static async Task<RawWsClient> ConnectReadyAsync(TestVenue venue, string path)
    {
        var client = await RawWsClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, path));
        if (path.StartsWith("/ws-api", StringComparison.Ordinal))
        {
            await client.SendTextAsync("""{"id":1,"method":"ping"}""");
        }
        else
        {
            await client.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        }

        await client.ReadUntilAsync(RawWsClient.Text);
        return client;
    }

    /// <summary>Advances the venue clock by the ping interval until a frame arrives (the ping loop re-arms asynchronously).</summary>
    private static async Task<(byte Opcode, byte[] Payload)?> AdvanceToNextFrameAsync(TestVenue venue, RawWsClient client)
    {
        venue.Time.Advance(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 40; i++)
        {
            var frame = await client.ReadFrameAsync(TimeSpan.FromMilliseconds(250));
            if (frame is not null || i == 39)
            {
                return frame;
            }

            venue.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return null;
    }

    [Theory]
    [InlineData("/ws/btcusdt@trade")]
    [InlineData("/ws-api/v3")]
    public async Task Unanswered_pings_disconnect_after_a_minute(string path)
    {
        await using var venue = await TestVenue.StartAsync();
        await using var client = await ConnectReadyAsync(venue, path);

        for (var i = 0; i < 3; i++)
        {
            var ping = await AdvanceToNextFrameAsync(venue, client);
            Assert.NotNull(ping);
            Assert.Equal(RawWsClient.Ping, ping.Value.Opcode);
            Assert.Equal(venue.NowMs.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(ping.Value.Payload));
        }

        var close = await AdvanceToNextFrameAsync(venue, client);
        Assert.NotNull(close);
        Assert.Equal(RawWsClient.Close, close.Value.Opcode);
        Assert.Equal(1008, BinaryPrimitives.ReadUInt16BigEndian(close.Value.Payload));
        Assert.Null(await client.ReadFrameAsync());
    }

    [Fact]
    public async Task Echoed_pongs_keep_the_connection_alive_and_empty_pongs_do_not_count()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var client = await ConnectReadyAsync(venue, "/ws/btcusdt@trade");

        for (var i = 0; i < 5; i++)
        {
            var ping = await AdvanceToNextFrameAsync(venue, client);
            Assert.Equal(RawWsClient.Ping, ping!.Value.Opcode);
            await client.SendFrameAsync(RawWsClient.Pong, ping.Value.Payload);
            await SyncAsync(client, i);
        }

        // From now on only unsolicited empty pongs: they are allowed but do not answer the pings.
        var frames = new List<byte>();
        for (var i = 0; i < 4; i++)
        {
            await client.SendFrameAsync(RawWsClient.Pong, []);
            await SyncAsync(client, 10 + i);
            var frame = await AdvanceToNextFrameAsync(venue, client);
            frames.Add(frame!.Value.Opcode);
        }

        Assert.Equal([RawWsClient.Ping, RawWsClient.Ping, RawWsClient.Ping, RawWsClient.Close], frames);
    }

    /// <summary>The venue reads frames in order: once it answered this ping, it has seen the frames sent before.</summary>
    private static async Task SyncAsync(RawWsClient client, int round)
    {
        var payload = Encoding.UTF8.GetBytes($"sync-{round}");
        await client.SendFrameAsync(RawWsClient.Ping, payload);
        Assert.Equal(payload, await client.ReadUntilAsync(RawWsClient.Pong));
    }

    [Fact]
    public async Task Client_pings_are_answered_with_the_same_payload()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var client = await ConnectReadyAsync(venue, "/ws/btcusdt@trade");

        await client.SendFrameAsync(RawWsClient.Ping, Encoding.UTF8.GetBytes("hello"));

        Assert.Equal("hello", Encoding.UTF8.GetString(await client.ReadUntilAsync(RawWsClient.Pong)));
    }
}
