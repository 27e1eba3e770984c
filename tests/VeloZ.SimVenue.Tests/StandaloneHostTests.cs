using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VeloZ.SimVenue.Tests.Support;
using VeloZ.Testing;

namespace VeloZ.SimVenue.Tests;

/// <summary>The standalone host as users start it: flags, printed URLs, the /sim control endpoints, clean stop.</summary>
public sealed partial class StandaloneHostTests
{
    [GeneratedRegex(@"^REST: (http://127\.0\.0\.1:\d+)$")]
    private static partial Regex RestLine();

    [Fact]
    public async Task The_host_starts_prints_its_urls_serves_binance_and_obeys_the_control_endpoints()
    {
        var dll = Path.Combine(RepositoryPaths.BuildOutput("worker/VeloZ.SimVenue.Host"), "VeloZ.SimVenue.Host.dll");
        await using var host = ChildProcess.StartDotnet("sim-venue", dll, arguments: ["--port", "0", "--tick-ms", "0", "--seed", "5"]);
        var rest = (await host.WaitForLineAsync(RestLine(), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Groups[1].Value;
        await host.WaitForLineAsync(new Regex(@"^WebSocket API: ws://127\.0\.0\.1:\d+/ws-api/v3$"), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(rest) };
        var token = TestContext.Current.CancellationToken;

        Assert.Equal("{}", await http.GetStringAsync("/api/v3/ping", token));

        using var price = await http.PostAsync("/sim/price?symbol=BTCUSDT&price=48000", null, token);
        Assert.Equal("""{"BTCUSDT":"48000.00000000"}""", await price.Content.ReadAsStringAsync(token));
        var ticker = JsonNode.Parse(await http.GetStringAsync("/api/v3/ticker/price?symbol=BTCUSDT", token))!;
        Assert.Equal("48000.00000000", (string?)ticker["price"]);

        using var faults = await http.PostAsync("/sim/faults?failNextOrders=1&orderFaultKind=BackendTimeout&clockSkewMs=0", null, token);
        Assert.Equal(HttpStatusCode.OK, faults.StatusCode);
        var time = (long)JsonNode.Parse(await http.GetStringAsync("/api/v3/time", token))!["serverTime"]!;
        var payload = $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=47000&timestamp={time}";
        using var order = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{payload}&signature={Hmac.Sign(SimApiKey.VeloZTestSecretKey, payload)}");
        order.Headers.Add("X-MBX-APIKEY", SimApiKey.VeloZTestApiKey);
        using var placed = await http.SendAsync(order, token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, placed.StatusCode);

        var counters = JsonNode.Parse(await http.GetStringAsync("/sim/counters", token))!;
        Assert.Equal(1, (int)counters["ordersReceived"]!);
        Assert.Equal(1, (int)counters["ordersExecuted"]!);
        Assert.Equal(1, (int)counters["faultsInjected"]!);

        using var badFlag = await http.PostAsync("/sim/price?symbol=BTCUSDT&price=-1", null, token);
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.StatusCode);
    }

    [Fact]
    public async Task A_bad_flag_stops_the_host_with_a_message_naming_it()
    {
        var dll = Path.Combine(RepositoryPaths.BuildOutput("worker/VeloZ.SimVenue.Host"), "VeloZ.SimVenue.Host.dll");
        await using var host = ChildProcess.StartDotnet("sim-venue", dll, arguments: ["--order-fault-rate", "2"]);

        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--order-fault-rate (VELOZ_SIM_ORDER_FAULT_RATE) is '2'; it must be a number from 0 to 1.", host.Output, StringComparison.Ordinal);
    }
}
