using System.Net;
using System.Net.Sockets;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>How the real processes start, refuse to start, and stop.</summary>
public sealed class StartupEndToEndTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_fast = TimeSpan.FromSeconds(15);

    private Dictionary<string, string?> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_PORT"] = "0",
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }

    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        { "api", "VELOZ_EXECUTION_MODE", "binance_tesnet_spot", "sim_engine, binance_testnet_spot, binance_spot" },
        { "worker", "VELOZ_EXECUTION_MODE", "binance_tesnet_spot", "sim_engine, binance_testnet_spot, binance_spot" },
        { "api", "VELOZ_MARKET_SOURCE", "bogus", "sim, binance_rest, binance_ws" },
        { "worker", "VELOZ_MARKET_SOURCE", "bogus", "sim, binance_rest, binance_ws" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_wrong_mode_stops_the_process_at_once_naming_variable_value_and_allowed_values(string process, string variable, string value, string allowed)
    {
        await using var child = process == "api"
            ? GatewayProcesses.StartApi(Env((variable, value)))
            : GatewayProcesses.StartWorker(Env((variable, value)));

        var code = await child.WaitForExitAsync(s_fast);

        Assert.NotEqual(0, code);
        var line = Assert.Single(child.Lines, l => l.Contains(variable, StringComparison.Ordinal));
        Assert.Contains($"'{value}'", line, StringComparison.Ordinal);
        Assert.Contains(allowed, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("LOCALHOST", "false")]
    public async Task Live_trading_without_authentication_stops_the_api_with_one_line(string host, string? authSetting)
    {
        var env = Env(("VELOZ_HOST", host), ("VELOZ_EXECUTION_MODE", "binance_spot"), ("VELOZ_BINANCE_TRADE_BASE_URL", "https://api.binance.com"), ("VELOZ_BINANCE_WS_API_URL", "wss://ws-api.binance.com:443/ws-api/v3"));
        env["VELOZ_AUTH_ENABLED"] = authSetting;
        await using var api = GatewayProcesses.StartApi(env);

        Assert.Equal(2, await api.WaitForExitAsync(s_fast));
        var line = Assert.Single(api.Lines, l => l.Contains("VeloZ configuration error", StringComparison.Ordinal));
        Assert.Contains("VELOZ_EXECUTION_MODE: binance_spot", line, StringComparison.Ordinal);
        Assert.Contains("VELOZ_AUTH_ENABLED=true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authentication_turned_off_on_every_interface_stops_the_api_with_one_line()
    {
        await using var api = GatewayProcesses.StartApi(Env(("VELOZ_HOST", "0.0.0.0"), ("VELOZ_AUTH_ENABLED", "false")));

        Assert.Equal(2, await api.WaitForExitAsync(s_fast));
        var line = Assert.Single(api.Lines, l => l.Contains("VeloZ configuration error", StringComparison.Ordinal));
        Assert.Contains("VELOZ_AUTH_ENABLED: false is refused", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public async Task Testnet_trading_refuses_a_production_host_with_one_line_naming_the_setting(string process)
    {
        var env = Env(("VELOZ_EXECUTION_MODE", "binance_testnet_spot"), ("VELOZ_BINANCE_TRADE_BASE_URL", "https://api.binance.com"));
        await using var child = process == "api" ? GatewayProcesses.StartApi(env) : GatewayProcesses.StartWorker(env);

        Assert.Equal(2, await child.WaitForExitAsync(s_fast));
        var line = Assert.Single(child.Lines, l => l.Contains("VELOZ_BINANCE_TRADE_BASE_URL", StringComparison.Ordinal));
        Assert.Contains("binance_testnet_spot", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_secret_is_refused_without_printing_it()
    {
        await using var api = GatewayProcesses.StartApi(Env(("VELOZ_BINANCE_API_SECRET", "has space-TOPSECRET")));

        Assert.NotEqual(0, await api.WaitForExitAsync(s_fast));
        Assert.Contains(api.Lines, l => l.Contains("VELOZ_BINANCE_API_SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("TOPSECRET", api.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_is_reported_clearly()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        await using var api = GatewayProcesses.StartApi(Env(("VELOZ_HOST", "127.0.0.1"), ("VELOZ_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(3, await api.WaitForExitAsync(s_fast));
        Assert.Contains(api.Lines, l => l.Contains($"127.0.0.1:{port} is already in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_worker_stops_gracefully_and_says_so_in_its_status()
    {
        var env = Env();
        await using var worker = GatewayProcesses.StartWorker(env);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        await using var _ = api;
        using var client = new HttpClient { BaseAddress = baseAddress };
        try
        {
            await GatewayHealth.WaitAsync(client, (status, h) => status == HttpStatusCode.OK && h.GetProperty("components").GetProperty("worker").GetString() == "alive", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            Assert.Fail($"The API stopped answering or never saw the worker ({ex.Message}). API output:\n{api.Output}\nWorker output:\n{worker.Output}");
        }

        var code = await worker.StopAsync(s_fast);
        Assert.True(code == 0, $"The worker exited with {code}, not 0. Worker output:\n{worker.Output}");

        // /health answers from readings at most 1 s old, so the stop shows within about a second, not at once;
        // without a live worker the gateway cannot trade, so it answers 503 (with the same body).
        var (stoppedStatus, health) = await GatewayHealth.WaitAsync(client, (_, h) => h.GetProperty("components").GetProperty("market_feed").GetString() == "stopped", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stoppedStatus);
        Assert.Equal("stale", health.GetProperty("components").GetProperty("worker").GetString());
    }

    [Fact]
    public async Task Secrets_never_reach_the_output_or_the_config()
    {
        const string Key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
        const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        var env = Env(("VELOZ_BINANCE_API_KEY", Key), ("VELOZ_BINANCE_API_SECRET", Secret), ("VELOZ_ADMIN_API_KEY", "admin-0123456789abcdef"));
        await using var worker = GatewayProcesses.StartWorker(env);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        await using var _ = api;
        using var client = new HttpClient { BaseAddress = baseAddress };

        var bodies = new List<string>();
        foreach (var path in new[] { "/api/config", "/health", "/api/market", "/nope" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            bodies.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await worker.StopAsync(s_fast);
        await api.StopAsync(s_fast);
        foreach (var text in bodies.Append(worker.Output).Append(api.Output))
        {
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("admin-0123456789abcdef", text, StringComparison.Ordinal);
            Assert.DoesNotContain(AzuriteFixture.AccountKey, text, StringComparison.Ordinal);
        }

        Assert.Contains("\"binance_trade_enabled\":true", bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_turned_off_explicitly_is_warned_about_at_start()
    {
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(Env(("VELOZ_AUTH_ENABLED", "false")));
        await using var _ = api;
        using var client = new HttpClient { BaseAddress = baseAddress };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/config", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains(api.Lines, l => l.Contains("warn:", StringComparison.Ordinal) && l.Contains("API authentication is OFF (VELOZ_AUTH_ENABLED=false)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_loopback_auth_is_off_by_default_and_says_so()
    {
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(Env());
        await using var _ = api;
        using var client = new HttpClient { BaseAddress = baseAddress };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/config", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains(api.Lines, l => l.Contains("API authentication off (VELOZ_HOST 127.0.0.1 is a loopback address)", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Lines, l => l.Contains("warn:", StringComparison.Ordinal) && l.Contains("authentication", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Bound_to_every_address_the_api_requires_keys_by_default()
    {
        const string Admin = "startup-admin-key-0123456789";
        var env = Env(("VELOZ_ADMIN_API_KEY", Admin));
        env["VELOZ_HOST"] = "0.0.0.0";
        await using var api = GatewayProcesses.StartApi(env);
        var match = await api.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"VeloZ API listening on http://[^:]+:(\d+)"), TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups[1].Value}") };

        using var anonymous = await client.GetAsync("/api/config", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/config");
        request.Headers.Add("X-API-Key", Admin);
        using var admin = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains(api.Lines, l => l.Contains("API authentication on (VELOZ_HOST 0.0.0.0 is not a loopback address)", StringComparison.Ordinal));
    }
}
