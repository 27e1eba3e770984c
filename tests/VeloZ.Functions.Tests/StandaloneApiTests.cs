using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Market;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Runtime;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

public sealed class StandaloneApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GatewayOptions WithAzurite(GatewayOptions? options = null) => TestOptions.OnAzurite(azurite, options);

    private static GatewayOptions WithUnreachableStorage() => new() { Storage = new() { StorageConnectionString = new Secret(Ports.UnreachableStorageConnectionString()) } };

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Get(StandaloneApi api, string path)
    {
        var response = await api.Client.GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    [Fact]
    public async Task Market_has_null_price_and_time_before_the_first_tick()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());

        var (status, body, response) = await Get(api, "/api/market");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"symbol":"BTCUSDT","price":null,"ts_ns":null}""", body);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Market_returns_the_stored_tick_as_an_exact_json_number()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite(new GatewayOptions { Market = new() { MarketSymbol = "ETHBTC" } }));
        var store = api.Services.GetRequiredService<TableStore>();
        await store.EnsureCreatedAsync(Ct);
        await api.Services.GetRequiredService<MarketTickRepository>().UpsertLatestAsync(new MarketTick("ETHBTC", 0.1m + 0.2m, 1704067200000000000, 1704067200000000001), Ct);

        var (_, body, _) = await Get(api, "/api/market");

        Assert.Equal("""{"symbol":"ETHBTC","price":0.3,"ts_ns":1704067200000000000}""", body);
    }

    [Fact]
    public async Task Config_has_the_seed_shape_for_the_embedded_default()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());

        var (status, body, _) = await Get(api, "/api/config");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"market_source":"sim","market_symbol":"BTCUSDT","binance_base_url":null,"execution_mode":"sim_engine","binance_trade_enabled":false,"binance_trade_base_url":null,"binance_user_stream_connected":false,"trading_mode":"normal"}""",
            body);
    }

    [Fact]
    public async Task Config_shows_binance_urls_in_binance_modes_and_never_the_credentials()
    {
        var options = WithAzurite(new GatewayOptions
        {
            Market = new()
            {
                MarketSource = MarketSource.BinanceRest,
                BinanceBaseUrl = new Uri("https://testnet.binance.vision"),
            },
            Venue = new()
            {
                ExecutionMode = ExecutionMode.BinanceTestnetSpot,
                BinanceApiKey = new Secret("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"),
                BinanceApiSecret = new Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"),
            },
            Security = new() { AdminApiKey = new Secret("admin-key-0123456789") },
        });
        await using var api = await StandaloneApi.StartAsync(options);

        var (_, body, _) = await Get(api, "/api/config");
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;

        Assert.Equal("binance_rest", root.GetProperty("market_source").GetString());
        Assert.Equal("https://testnet.binance.vision", root.GetProperty("binance_base_url").GetString());
        Assert.Equal("binance_testnet_spot", root.GetProperty("execution_mode").GetString());
        Assert.True(root.GetProperty("binance_trade_enabled").GetBoolean());
        Assert.Equal("https://testnet.binance.vision", root.GetProperty("binance_trade_base_url").GetString());
        Assert.DoesNotContain("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", body, StringComparison.Ordinal);
        Assert.DoesNotContain("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", body, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-key", body, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_reports_the_user_stream_only_while_the_worker_heartbeat_is_fresh()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());
        await api.Services.GetRequiredService<TableStore>().EnsureCreatedAsync(Ct);
        var statuses = api.Services.GetRequiredService<WorkerStatusRepository>();
        var now = DateTimeOffset.UtcNow;

        await statuses.WriteAsync(new WorkerStatus("w", now, now, MarketFeedStates.Running, null, null, true), Ct);
        using (var fresh = JsonDocument.Parse((await Get(api, "/api/config")).Body))
        {
            Assert.True(fresh.RootElement.GetProperty("binance_user_stream_connected").GetBoolean());
        }

        await statuses.WriteAsync(new WorkerStatus("w", now, now - WorkerStatusView.StaleAfter - TimeSpan.FromSeconds(1), MarketFeedStates.Running, null, null, true), Ct);
        using var stale = JsonDocument.Parse((await Get(api, "/api/config")).Body);
        Assert.False(stale.RootElement.GetProperty("binance_user_stream_connected").GetBoolean());
    }

    [Fact]
    public async Task Health_reports_its_components_and_503_while_no_worker_runs()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());

        var (status, body, _) = await Get(api, "/health");
        using var json = JsonDocument.Parse(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("ok", json.RootElement.GetProperty("components").GetProperty("storage").GetString());
        Assert.Equal("never_seen", json.RootElement.GetProperty("components").GetProperty("worker").GetString());
        Assert.Equal("none", json.RootElement.GetProperty("components").GetProperty("worker_standby").GetString());
    }

    [Fact]
    public async Task Storage_outage_answers_503_storage_unavailable_without_internals()
    {
        await using var api = await StandaloneApi.StartAsync(WithUnreachableStorage());

        var (status, body, _) = await Get(api, "/api/market");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("storage_unavailable", json.RootElement.GetProperty("error").GetString());
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("devstoreaccount1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_config_still_answer_during_a_storage_outage()
    {
        await using var api = await StandaloneApi.StartAsync(WithUnreachableStorage());

        var (healthStatus, healthBody, _) = await Get(api, "/health");
        var (configStatus, configBody, _) = await Get(api, "/api/config");

        // The gateway cannot trade without storage: 503, with the body that says why.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthStatus);
        using var health = JsonDocument.Parse(healthBody);
        Assert.Equal("unavailable", health.RootElement.GetProperty("components").GetProperty("storage").GetString());
        Assert.Equal(HttpStatusCode.OK, configStatus);
        using var config = JsonDocument.Parse(configBody);
        Assert.False(config.RootElement.GetProperty("binance_user_stream_connected").GetBoolean());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/config")]
    [InlineData("/api/market")]
    public async Task Every_endpoint_answers_a_cors_preflight(string path)
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite(new GatewayOptions { Security = new() { CorsOrigins = ["https://dashboard.example"] } }));
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://dashboard.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await api.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://dashboard.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET,POST,OPTIONS", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("Content-Type", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_origins_can_be_restricted()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite(new GatewayOptions { Security = new() { CorsOrigins = ["https://app.example"] } }));

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/config");
        allowed.Headers.Add("Origin", "https://app.example");
        using var allowedResponse = await api.Client.SendAsync(allowed, Ct);
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/config");
        other.Headers.Add("Origin", "https://evil.example");
        using var otherResponse = await api.Client.SendAsync(other, Ct);

        Assert.Equal("https://app.example", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Unknown_paths_and_wrong_verbs_get_json_errors()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());

        var (notFound, notFoundBody, _) = await Get(api, "/api/nope");
        using var post = await api.Client.PostAsync("/api/market", new StringContent("{}"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, notFound);
        Assert.Equal("not_found", JsonDocument.Parse(notFoundBody).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("method_not_allowed", JsonDocument.Parse(await post.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(new[] { "--functions-uri", "http://127.0.0.1:5000/" }, null, true)]
    [InlineData(new[] { "--functions-uri=http://127.0.0.1:5000/" }, null, true)]
    [InlineData(new string[0], "http://127.0.0.1:5000/", true)]
    [InlineData(new string[0], null, false)]
    [InlineData(new[] { "--urls", "http://x" }, null, false)]
    public void The_functions_host_is_recognised_by_its_endpoint_argument(string[] args, string? endpoint, bool expected) =>
        Assert.Equal(expected, ApiProgram.IsStartedByFunctionsHost(args, name => name == "Functions__Worker__HostEndpoint" ? endpoint : null));
}
