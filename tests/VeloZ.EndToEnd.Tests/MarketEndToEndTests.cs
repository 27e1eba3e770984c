using System.Net;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

[Collection(GatewayGroup.Name)]
public sealed class MarketEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetJson(string host, string path)
    {
        using var response = await gateway.Api(host).GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    private async Task<JsonElement> WaitForPrice(string host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var market = await GetJson(host, "/api/market");
            if (market.GetProperty("price").ValueKind == JsonValueKind.Number || DateTime.UtcNow > deadline)
            {
                return market;
            }

            await Task.Delay(200, Ct);
        }
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_simulated_price_reaches_the_api_and_moves(string host)
    {
        var first = await WaitForPrice(host);
        Assert.Equal(JsonValueKind.Number, first.GetProperty("price").ValueKind);
        Assert.Equal("BTCUSDT", first.GetProperty("symbol").GetString());

        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var second = await GetJson(host, "/api/market");

        Assert.NotEqual(first.GetProperty("price").GetDecimal(), second.GetProperty("price").GetDecimal());
        Assert.True(second.GetProperty("ts_ns").GetInt64() > first.GetProperty("ts_ns").GetInt64());
        // The sim walks in 0.01 steps: the JSON number is an exact decimal, never a binary fraction.
        Assert.Equal(0m, second.GetProperty("price").GetDecimal() % 0.01m);
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Config_lists_every_field_of_the_seed(string host)
    {
        var config = await GetJson(host, "/api/config");

        Assert.Equal(
            ["market_source", "market_symbol", "binance_base_url", "execution_mode", "binance_trade_enabled", "binance_trade_base_url", "binance_user_stream_connected", "trading_mode"],
            config.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sim", config.GetProperty("market_source").GetString());
        Assert.Equal("sim_engine", config.GetProperty("execution_mode").GetString());
        Assert.True(config.GetProperty("binance_user_stream_connected").ValueKind is JsonValueKind.True or JsonValueKind.False);

        // In sim_engine the worker subscribes to the embedded venue's user data stream like to Binance's.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await GetJson(host, "/api/config")).GetProperty("binance_user_stream_connected").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, "the user data stream never connected");
            await Task.Delay(200, Ct);
        }
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Health_sees_a_live_worker_and_fresh_market_data(string host)
    {
        await WaitForPrice(host);
        var health = await GetJson(host, "/health");
        for (var i = 0; i < 50 && health.GetProperty("components").GetProperty("market_feed").GetString() != "running"; i++)
        {
            await Task.Delay(200, Ct);
            health = await GetJson(host, "/health");
        }

        var components = health.GetProperty("components");

        Assert.True(health.GetProperty("ok").GetBoolean());
        Assert.Equal("ok", components.GetProperty("storage").GetString());
        Assert.Equal("alive", components.GetProperty("worker").GetString());
        Assert.Equal("running", components.GetProperty("market_feed").GetString());
        Assert.InRange(components.GetProperty("market_data_age_ms").GetInt64(), 0, 5000);
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Each_host_serves_exactly_the_routes_of_its_functions_metadata(string host)
    {
        var metadataPath = Path.Combine(gateway.AppDirectory(host), "functions.metadata");
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(metadataPath, Ct));
        var triggers = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .Select(b => (Route: b.GetProperty("route").GetString()!, Methods: b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray()))
            .ToList();

        Assert.Equal(
            [
                "api/account", "api/admin/cancel_all", "api/admin/keys", "api/admin/keys/revoke", "api/admin/trading_mode", "api/cancel", "api/config",
                "api/execution/ping", "api/fills", "api/market", "api/negotiate", "api/order", "api/order_state", "api/orders", "api/orders_state", "api/stream", "api/symbols", "dashboard/{*file}", "health", "health/live", "health/ready", "openapi.json",
            ],
            triggers.Select(t => t.Route).Order(StringComparer.Ordinal));
        foreach (var (route, methods) in triggers)
        {
            foreach (var method in new[] { "GET", "POST", "OPTIONS", "PUT", "DELETE" })
            {
                // A catch-all route is requested with a value it serves (the dashboard's page).
                using var request = new HttpRequestMessage(new HttpMethod(method), "/" + route.Replace("{*file}", "index.html", StringComparison.Ordinal));
                // Headers only: /api/stream answers with a stream that does not end.
                using var response = await gateway.Api(host).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
                var declared = methods.Contains(method.ToLowerInvariant());
                // An undeclared verb: the standalone host answers 405 with a JSON body; the Functions host,
                // which routes by verb and path together, answers 404.
                var refused = host == ApiHosts.Functions ? HttpStatusCode.NotFound : HttpStatusCode.MethodNotAllowed;
                // A declared verb reaches the function: whatever it answers (an empty POST is a 400), it is
                // neither a routing refusal nor a server error.
                Assert.True(
                    declared ? response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) && (int)response.StatusCode < 500 : response.StatusCode == refused,
                    $"{host}: {method} /{route} answered {(int)response.StatusCode}");
            }
        }

        using var unknown = await gateway.Api(host).GetAsync("/api/unknown", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

[Collection(GatewayGroup.Name)]
public sealed class CrossHostEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Both_hosts_answer_config_and_a_preflight_byte_for_byte_alike()
    {
        if (ApiHosts.Enabled.Count < 2)
        {
            Assert.Skip("VELOZ_TEST_HOST selects a single host.");
        }

        var bodies = new List<string>();
        foreach (var host in ApiHosts.Enabled)
        {
            bodies.Add(await gateway.Api(host).GetStringAsync("/api/config", Ct));
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/market");
            preflight.Headers.Add("Origin", GatewayFixture.DashboardOrigin);
            using var response = await gateway.Api(host).SendAsync(preflight, Ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(GatewayFixture.DashboardOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        Assert.Single(bodies.Distinct());
    }
}
