using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>The 418 IP ban fault (Binance's rest-api.md "LIMITS", web-socket-api.md): REST and the WebSocket API refuse everything until it ends.</summary>
public sealed class BanFaultTests
{
    [Fact]
    public async Task A_ban_answers_418_with_retry_after_on_rest_and_the_websocket_api_until_it_ends()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(venue.Venue.WebSocketApiUri);
        var bannedUntilMs = venue.NowMs + 120_000;

        venue.Venue.Faults.Ban(TimeSpan.FromMinutes(2));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(bannedUntilMs), venue.Venue.Faults.BannedUntil);
        var expectedMessage = $"Way too much request weight used; IP banned until {bannedUntilMs.ToString(CultureInfo.InvariantCulture)}. Please use WebSocket Streams for live updates to avoid bans.";
        foreach (var response in new[]
        {
            await venue.GetAsync("/api/v3/time"),
            await venue.LimitBuyAsync("0.01", "49000", "banned-1"),
        })
        {
            Assert.Equal((HttpStatusCode)418, response.Status);
            Assert.Equal("120", response.Header("Retry-After"));
            Assert.Equal(-1003, response.Code);
            Assert.Equal(expectedMessage, response.Message);
        }

        Assert.Equal(0, venue.Venue.Counters.OrdersReceived);

        await ws.SendAsync("""{"id":"b1","method":"time"}""");
        var wsAnswer = await ws.ResponseAsync("b1");
        Assert.Equal(418, (int)wsAnswer["status"]!);
        Assert.Equal(-1003, (int)wsAnswer["error"]!["code"]!);
        Assert.Equal(expectedMessage, (string?)wsAnswer["error"]!["msg"]);
        Assert.Equal(venue.NowMs, (long)wsAnswer["error"]!["data"]!["serverTime"]!);
        Assert.Equal(bannedUntilMs, (long)wsAnswer["error"]!["data"]!["retryAfter"]!);

        // The seconds left shrink with the venue clock; the ban ends on its own.
        venue.Time.Advance(TimeSpan.FromSeconds(90.5));
        Assert.Equal("30", (await venue.GetAsync("/api/v3/ping")).Header("Retry-After"));
        venue.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(venue.Venue.Faults.BannedUntil);
        Assert.Equal(HttpStatusCode.OK, (await venue.GetAsync("/api/v3/ping")).Status);
        await ws.SendAsync("""{"id":"b2","method":"time"}""");
        Assert.Equal(200, (int)(await ws.ResponseAsync("b2"))["status"]!);
    }

    [Fact]
    public async Task Reset_lifts_a_ban_and_so_does_a_zero_duration()
    {
        await using var venue = await TestVenue.StartAsync();
        venue.Venue.Faults.Ban(TimeSpan.FromHours(1));
        Assert.Equal((HttpStatusCode)418, (await venue.GetAsync("/api/v3/ping")).Status);

        venue.Venue.Faults.Reset();
        Assert.Null(venue.Venue.Faults.BannedUntil);
        Assert.Equal(HttpStatusCode.OK, (await venue.GetAsync("/api/v3/ping")).Status);

        venue.Venue.Faults.Ban(TimeSpan.FromHours(1));
        venue.Venue.Faults.Ban(TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await venue.GetAsync("/api/v3/ping")).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => venue.Venue.Faults.Ban(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task The_control_endpoint_bans_and_the_reset_endpoint_lifts_it()
    {
        await using var venue = await TestVenue.StartAsync(time => new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            Symbols = [TestVenue.BtcUsdt()],
            EnableControlEndpoints = true,
        });
        var token = TestContext.Current.CancellationToken;

        using var ban = await venue.Http.PostAsync("/sim/ban?seconds=60", null, token);
        Assert.Equal(HttpStatusCode.OK, ban.StatusCode);
        var faults = JsonNode.Parse(await ban.Content.ReadAsStringAsync(token))!;
        Assert.Equal(venue.NowMs + 60_000, (long)faults["bannedUntilMs"]!);
        var refused = await venue.GetAsync("/api/v3/time");
        Assert.Equal((HttpStatusCode)418, refused.Status);
        Assert.Equal("60", refused.Header("Retry-After"));

        using var reset = await venue.Http.PostAsync("/sim/faults/reset", null, token);
        Assert.Null(JsonNode.Parse(await reset.Content.ReadAsStringAsync(token))!["bannedUntilMs"]);
        Assert.Equal(HttpStatusCode.OK, (await venue.GetAsync("/api/v3/time")).Status);
    }
}
