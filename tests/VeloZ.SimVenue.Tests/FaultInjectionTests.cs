using System.Net;
using System.Net.WebSockets;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>Fault injection (off by default): unknown outcomes after execution, dropped sockets, delays, clock skew.</summary>
public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData(OrderFaultKind.ServerError, HttpStatusCode.InternalServerError, -1006, "An unexpected response was received from the message bus. Execution status unknown.")]
    [InlineData(OrderFaultKind.BackendTimeout, HttpStatusCode.ServiceUnavailable, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.")]
    public async Task A_5xx_answer_comes_after_the_order_was_executed(OrderFaultKind kind, HttpStatusCode status, int code, string message)
    {
        await using var venue = await TestVenue.StartAsync();
        venue.Venue.Faults.FailNextOrders(1, kind);

        var response = await venue.LimitBuyAsync("0.01", "49000", "unknown-1");

        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.Code);
        Assert.Equal(message, response.Message);
        Assert.Equal(1, venue.Venue.Counters.OrdersReceived);
        Assert.Equal(1, venue.Venue.Counters.OrdersExecuted);
        Assert.Equal(1, venue.Venue.Counters.FaultsInjected);
        Assert.Equal("NEW", (string?)(await venue.OrderAsync("unknown-1"))["status"]);

        // Retrying with the same id is caught as a live duplicate; the next order is answered normally again.
        Assert.Equal(-2010, (await venue.LimitBuyAsync("0.01", "49000", "unknown-1")).Code);
        Assert.Equal(HttpStatusCode.OK, (await venue.LimitBuyAsync("0.01", "49000", "unknown-2")).Status);
    }

    [Fact]
    public async Task No_response_holds_the_request_then_drops_the_connection_after_executing()
    {
        await using var venue = await TestVenue.StartAsync();
        venue.Venue.Faults.FailNextOrders(1, OrderFaultKind.NoResponse);
        venue.Venue.Faults.NoResponseHold = TimeSpan.FromSeconds(10);

        var pending = venue.LimitBuyAsync("0.01", "49000", "silent-1");
        await Eventually.TrueAsync(() => venue.Venue.Counters.FaultsInjected == 1);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);

        venue.Time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        Assert.Equal("NEW", (string?)(await venue.OrderAsync("silent-1"))["status"]);
    }

    [Fact]
    public async Task No_response_on_the_websocket_api_still_delivers_the_user_data_events()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await UserDataStreamTests.SubscribeAsync(venue);
        venue.Venue.Faults.FailNextOrders(1, OrderFaultKind.NoResponse);

        var timestamp = venue.NowMs;
        var payload = $"apiKey={TestVenue.Key}&newClientOrderId=ws-silent&price=49000&quantity=0.01&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp={timestamp}&type=LIMIT";
        await ws.SendAsync($$$"""{"id":"silent","method":"order.place","params":{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"49000","newClientOrderId":"ws-silent","timestamp":{{{timestamp}}},"apiKey":"{{{TestVenue.Key}}}","signature":"{{{Hmac.Sign(TestVenue.Secret, payload)}}}"}}""");

        var report = await ws.EventAsync("executionReport");
        Assert.Equal("ws-silent", (string?)report["event"]!["c"]);
        await ws.EventAsync("outboundAccountPosition");
        await ws.AssertNoMessageAsync();
    }

    [Fact]
    public async Task A_fault_rate_of_one_hits_every_placement_and_zero_none()
    {
        await using var venue = await TestVenue.StartAsync();
        venue.Venue.Faults.OrderFaultRate = 1;
        Assert.Equal(HttpStatusCode.InternalServerError, (await venue.LimitBuyAsync("0.01", "49000", "r1")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await venue.LimitBuyAsync("0.01", "49000", "r2")).Status);

        venue.Venue.Faults.Reset();
        Assert.Equal(HttpStatusCode.OK, (await venue.LimitBuyAsync("0.01", "49000", "r3")).Status);
        Assert.Equal(3, venue.Venue.Counters.OrdersExecuted);
        Assert.Equal(2, venue.Venue.Counters.FaultsInjected);
        Assert.Throws<ArgumentOutOfRangeException>(() => venue.Venue.Faults.OrderFaultRate = 1.5);
    }

    [Fact]
    public async Task Dropping_websockets_cuts_every_connection_without_a_close_frame()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var stream = await WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, "/ws/btcusdt@trade"));
        await using var api = await UserDataStreamTests.SubscribeAsync(venue);
        await Eventually.TrueAsync(() => venue.Venue.Counters.WebSocketsOpen == 2);

        Assert.Equal(2, venue.Venue.Faults.DropWebSockets());

        Assert.Null(await stream.WaitClosedAsync());
        Assert.Null(await api.WaitClosedAsync());
        await Eventually.TrueAsync(() => venue.Venue.Counters.WebSocketsOpen == 0);
        Assert.Equal(2, venue.Venue.Counters.WebSocketsAccepted);
    }

    [Fact]
    public async Task Message_delay_holds_websocket_messages_on_the_venue_clock()
    {
        await using var venue = await TestVenue.StartAsync();
        await using var ws = await WsTestClient.ConnectAsync(new Uri(venue.Venue.StreamBaseUri, "/ws/btcusdt@trade"));
        await ws.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        await ws.NextAsync();
        venue.Venue.Faults.MessageDelay = TimeSpan.FromSeconds(5);

        venue.Venue.Market.SetPrice("BTCUSDT", 50_500m);
        await ws.AssertNoMessageAsync();
        venue.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("50500.00000000", (string?)(await ws.NextAsync())["p"]);
    }

    [Fact]
    public async Task Clock_skew_moves_server_time_and_the_timestamp_checks()
    {
        await using var venue = await TestVenue.StartAsync();
        venue.Venue.Faults.ClockSkew = TimeSpan.FromSeconds(-3);
        Assert.Equal(venue.NowMs - 3000, (long)(await venue.GetAsync("/api/v3/time")).Object["serverTime"]!);

        var ahead = await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", "recvWindow=5000");
        Assert.Equal(-1021, ahead.Code);
        Assert.Equal("Timestamp for this request was 1000ms ahead of the server's time.", ahead.Message);

        var synced = await venue.SignedAsync(HttpMethod.Get, "/api/v3/account", $"timestamp={venue.NowMs - 3000}");
        Assert.Equal(HttpStatusCode.OK, synced.Status);
    }

    [Fact]
    public async Task Faults_are_off_by_default()
    {
        await using var venue = await TestVenue.StartAsync();
        var faults = venue.Venue.Faults;
        Assert.Equal(0, faults.OrderFaultRate);
        Assert.Equal(TimeSpan.Zero, faults.MessageDelay);
        Assert.Equal(TimeSpan.Zero, faults.ClockSkew);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await venue.LimitBuyAsync("0.01", "49000", $"d{i}")).Status);
        }

        Assert.Equal(0, venue.Venue.Counters.FaultsInjected);
    }
}
