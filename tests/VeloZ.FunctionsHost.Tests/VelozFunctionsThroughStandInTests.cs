using System.Net;
using System.Text.Json;

namespace VeloZ.FunctionsHost.Tests;

/// <summary>The published VeloZ.Functions, run by the stand-in as the Functions host would run it.</summary>
public sealed class VelozFunctionsThroughStandInTests(VelozFunctionsFixture fixture, ITestOutputHelper output)
    : StandInTest(fixture, output), IClassFixture<VelozFunctionsFixture>
{
    private readonly FunctionsHostStandIn _host = fixture.Host;
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public void Every_function_in_functions_metadata_is_loaded_with_its_route_verbs_and_auth_level()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(_host.AppDirectory, "functions.metadata")));
        var declared = metadata.RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(declared);
        Assert.Equal(
            declared.Select(f => f.GetProperty("name").GetString()).Order(),
            _host.LoadedFunctions.Select(f => f.Name).Order());
        Assert.Equal("", _host.RoutePrefix);

        foreach (var function in declared)
        {
            var name = function.GetProperty("name").GetString();
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            var loaded = _host.LoadedFunctions.Single(f => f.Name == name);
            Assert.Equal("httpTrigger", loaded.TriggerType);
            Assert.Equal("/" + trigger.GetProperty("route").GetString(), loaded.Path);
            Assert.Equal(trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()), loaded.Methods);
            Assert.Equal(trigger.GetProperty("authLevel").GetString(), loaded.AuthLevel.ToString());
            Assert.Equal(function.GetProperty("entryPoint").GetString(), loaded.EntryPoint);
            Assert.NotEmpty(loaded.FunctionId);
        }
    }

    [Fact]
    public void Worker_advertises_its_own_http_endpoint()
    {
        Assert.Equal(_host.WorkerHttpUri.AbsoluteUri, _host.WorkerCapabilities["HttpUri"]);
        Assert.True(_host.WorkerHttpUri.IsLoopback);
    }

    [Fact]
    public async Task Health_answers_through_the_stand_in()
    {
        using var response = await _client.GetAsync(new Uri("health", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // No worker runs here, so the gateway cannot trade: 503, with the body that says so.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("ok", json.RootElement.GetProperty("components").GetProperty("storage").GetString());
        Assert.Equal("never_seen", json.RootElement.GetProperty("components").GetProperty("worker").GetString());
        var invocation = await _host.WaitForInvocationAsync(i => i.FunctionName == "Health", cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(invocation.Succeeded, invocation.Error);
        Assert.Equal(503, invocation.StatusCode);
    }

    [Fact]
    public async Task Config_answers_through_the_stand_in()
    {
        using var response = await _client.GetAsync(new Uri("api/config", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("sim", json.RootElement.GetProperty("market_source").GetString());
        Assert.Equal("BTCUSDT", json.RootElement.GetProperty("market_symbol").GetString());
        Assert.False(json.RootElement.GetProperty("binance_user_stream_connected").GetBoolean());
    }

    [Fact]
    public async Task Under_the_functions_host_api_keys_are_required_by_default()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.BaseAddress };

        using var config = await anonymous.GetAsync(new Uri("api/config", UriKind.Relative), TestContext.Current.CancellationToken);
        using var health = await anonymous.GetAsync(new Uri("health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, config.StatusCode);
        Assert.Contains("\"error\":\"unauthorized\"", await config.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        // Open without a key: its own status (503: no worker runs here), not 401.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains(_host.WorkerLogs, l => l.Contains("API authentication on (running under the Azure Functions host)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Market_answers_null_price_before_any_tick()
    {
        using var response = await _client.GetAsync(new Uri("api/market", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"symbol":"BTCUSDT","price":null,"ts_ns":null}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cors_preflight_reaches_the_function_because_the_metadata_lists_options()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri("api/market", UriKind.Relative));
        request.Headers.Add("Origin", "http://example.test");
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("GET,POST,OPTIONS", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        // The sample lists no origin (VELOZ_CORS_ORIGINS empty): no other web page may read the answers.
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("GET", "api/nope")]
    [InlineData("GET", "api/health")]
    [InlineData("POST", "api/config")]
    public async Task Unknown_route_or_verb_is_404_without_an_invocation(string method, string path)
    {
        var before = _host.Invocations.Count;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, _host.Invocations.Count);
    }

    [Fact]
    public async Task Worker_answers_status_requests()
    {
        var latency = await _host.PingWorkerAsync(TestContext.Current.CancellationToken);

        Assert.True(latency < TimeSpan.FromSeconds(5), $"WorkerStatusResponse took {latency}.");
    }
}
