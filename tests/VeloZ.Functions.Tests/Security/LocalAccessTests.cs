using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Security;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Security;

/// <summary>
/// Where an API without authentication may be reached from: only this machine's loopback, and not from
/// other web pages in a browser on it. What Kestrel binds and whether keys may be skipped come from one
/// <see cref="ApiBinding"/>.
/// </summary>
public sealed class LocalAccessTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GatewayOptions WithAzurite(GatewayOptions? options = null) => TestOptions.OnAzurite(azurite, options);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("LOCALHOST", false)]
    [InlineData("LocalHost", true)]
    [InlineData("localhost", true)]
    public async Task Localhost_in_any_casing_listens_on_loopback_only_and_runs_without_keys(string host, bool fixedPort)
    {
        var options = WithAzurite(new GatewayOptions { Api = new() { Host = host, Port = fixedPort ? FreePort() : 0 } });
        await using var app = ApiProgram.BuildStandalone(WebApplication.CreateSlimBuilder(), options);
        await app.StartAsync(Ct);
        try
        {
            Assert.NotEmpty(app.Urls);
            Assert.All(app.Urls, url =>
            {
                var bound = new Uri(url).Host;
                // Kestrel reports its own localhost binding (127.0.0.1 and ::1) as "localhost".
                Assert.True(bound == "localhost" || (IPAddress.TryParse(bound.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)), $"{host} listens on {url}");
            });
            Assert.False(app.Services.GetRequiredService<ApiAuthSettings>().Enabled);
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/config", Ct)).StatusCode);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_host_name_listens_on_the_addresses_it_resolves_to_and_needs_keys_unless_all_are_loopback()
    {
        IPAddress[] LookUp(string name) => name switch
        {
            "loopback.test" => [IPAddress.Loopback, IPAddress.IPv6Loopback],
            "mixed.test" => [IPAddress.Loopback, IPAddress.Parse("192.168.1.20")],
            _ => [],
        };

        var local = ApiBinding.Standalone(new ApiOptions { Host = "loopback.test" }, LookUp);
        var mixed = ApiBinding.Standalone(new ApiOptions { Host = "mixed.test" }, LookUp);
        var unresolved = Assert.Throws<GatewayConfigurationException>(() => ApiBinding.Standalone(new ApiOptions { Host = "nowhere.test" }, LookUp));

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], local.Addresses);
        Assert.False(ApiAuthSettings.Resolve(new GatewayOptions(), local).Enabled);
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("192.168.1.20")], mixed.Addresses);
        var auth = ApiAuthSettings.Resolve(new GatewayOptions(), mixed);
        Assert.True(auth.Enabled);
        Assert.Contains("192.168.1.20", auth.Reason, StringComparison.Ordinal);
        Assert.Equal(ConfigurationVariables.Host, Assert.Single(unresolved.Errors).Variable);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.20")]
    public void Authentication_cannot_be_turned_off_where_other_machines_can_connect(string host)
    {
        var options = new GatewayOptions { Api = new() { Host = host }, Security = new() { AuthEnabled = false } };

        var refused = Assert.Throws<GatewayConfigurationException>(() => ApiAuthSettings.Resolve(options, ApiBinding.Standalone(options.Api)));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(ConfigurationVariables.AuthEnabled, error.Variable);
        Assert.Contains(host, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", null, ApiHostKind.Standalone)]
    [InlineData("localhost", false, ApiHostKind.Standalone)]
    [InlineData("127.0.0.1", false, ApiHostKind.FunctionsHost)]
    public void Live_trading_without_authentication_is_a_configuration_error(string host, bool? authSetting, ApiHostKind kind)
    {
        var options = new GatewayOptions { Api = new() { Host = host }, Venue = new() { ExecutionMode = ExecutionMode.BinanceSpot }, Security = new() { AuthEnabled = authSetting } };
        var binding = kind == ApiHostKind.Standalone ? ApiBinding.Standalone(options.Api) : ApiBinding.FunctionsHost;

        var refused = Assert.Throws<GatewayConfigurationException>(() => ApiAuthSettings.Resolve(options, binding));

        Assert.Equal(ConfigurationVariables.ExecutionMode, Assert.Single(refused.Errors).Variable);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.True(ApiAuthSettings.Resolve(options with { Security = options.Security with { AuthEnabled = true } }, binding).Enabled);
        // The testnet trades no real money: it still starts without authentication.
        Assert.False(ApiAuthSettings.Resolve(options with { Venue = options.Venue with { ExecutionMode = ExecutionMode.BinanceTestnetSpot } }, binding).Enabled);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:8080")]
    [InlineData("dashboard.localhost:8080")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("127.42.0.9")]
    [InlineData("[::1]:8080")]
    public async Task Without_authentication_requests_addressed_to_loopback_are_served(string hostHeader)
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());

        var (status, _) = await SendAsync(api, HttpMethod.Get, "/api/config", hostHeader);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:8080")]
    [InlineData("localhost.attacker.example")]
    [InlineData("192.168.1.20:8080")]
    [InlineData("[2001:db8::1]:8080")]
    [InlineData("2130706433")]
    public async Task Without_authentication_requests_addressed_to_another_name_are_refused(string hostHeader)
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());

        var (config, body) = await SendAsync(api, HttpMethod.Get, "/api/config", hostHeader);
        var (order, _) = await SendAsync(api, HttpMethod.Post, "/api/order", hostHeader, json: """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"rebound-1"}""");
        var (health, _) = await SendAsync(api, HttpMethod.Get, "/health", hostHeader);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (config, body.GetProperty("error").GetString()));
        Assert.Contains("loopback", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, order);
        Assert.Equal(HttpStatusCode.Forbidden, health);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(api, HttpMethod.Get, "/api/order_state?client_order_id=rebound-1")).Status);
    }

    [Fact]
    public async Task With_authentication_on_any_host_name_is_served_to_a_valid_key()
    {
        const string Admin = "local-access-admin-key-0123456789";
        await using var api = await StandaloneApi.StartAsync(WithAzurite(new GatewayOptions { Security = new() { AuthEnabled = true, AdminApiKey = new Secret(Admin) } }));

        var (status, _) = await SendAsync(api, HttpMethod.Get, "/api/config", "gateway.example:443", key: Admin);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task By_default_no_other_web_page_may_call_the_api()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite());
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/order");
        preflight.Headers.Add("Origin", "https://attacker.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var preflightResponse = await api.Client.SendAsync(preflight, Ct);

        // A "simple" cross-site POST needs no preflight: the browser sends it with its Origin.
        var (order, body) = await SendAsync(api, HttpMethod.Post, "/api/order", origin: "https://attacker.example", text: """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"csrf-1"}""");
        var (read, _) = await SendAsync(api, HttpMethod.Get, "/api/account", origin: "null");

        Assert.False(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (order, body.GetProperty("error").GetString()));
        Assert.Contains("VELOZ_CORS_ORIGINS", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, read);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(api, HttpMethod.Get, "/api/order_state?client_order_id=csrf-1")).Status);
    }

    [Fact]
    public async Task Without_authentication_the_apis_own_origin_and_listed_origins_are_served()
    {
        await using var api = await StandaloneApi.StartAsync(WithAzurite(new GatewayOptions { Security = new() { CorsOrigins = ["http://localhost:3000"] } }));
        var own = api.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var (fromItself, _) = await SendAsync(api, HttpMethod.Get, "/api/config", origin: own);
        using var listed = new HttpRequestMessage(HttpMethod.Get, "/api/config");
        listed.Headers.Add("Origin", "http://localhost:3000");
        using var listedResponse = await api.Client.SendAsync(listed, Ct);

        Assert.Equal(HttpStatusCode.OK, fromItself);
        Assert.Equal(HttpStatusCode.OK, listedResponse.StatusCode);
        Assert.Equal("http://localhost:3000", listedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(StandaloneApi api, HttpMethod method, string path, string? host = null, string? origin = null, string? json = null, string? text = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        else if (text is not null)
        {
            request.Content = new StringContent(text, Encoding.UTF8, "text/plain");
        }

        using var response = await api.Client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
