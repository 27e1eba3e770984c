using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VeloZ.FunctionsHost;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// End-to-end traffic of every kind (place, cancel, queries, account, ping, key management, the brake,
/// refused credentials) through both API hosts of a gateway trading on a venue with real credentials; then
/// every log line of the worker and of each API process, and every response (headers and body), is searched
/// for the Binance key, the Binance secret, the storage account key, the SignalR access key and the admin
/// key. None may appear anywhere. Keys created through the admin endpoint may appear only in the answer
/// that created them.
/// </summary>
public sealed class SecretsEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan s_stop = TimeSpan.FromSeconds(15);

    private readonly string _adminKey = "admin-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private readonly string _signalRAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<string> _responses = [];
    private readonly List<string> _createdKeys = [];
    private readonly Dictionary<string, Uri> _hosts = [];
    private SimVenueHandle _venue = null!;
    private ChildProcess _worker = null!;
    private ChildProcess? _api;
    private FunctionsHostStandIn? _standIn;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.FromMilliseconds(200) }, Ct);
        var env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_EXECUTION_MODE"] = "binance_testnet_spot",
            ["VELOZ_BINANCE_TRADE_BASE_URL"] = _venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_API_KEY"] = SimApiKey.VeloZTestApiKey,
            ["VELOZ_BINANCE_API_SECRET"] = SimApiKey.VeloZTestSecretKey,
            ["VELOZ_MARKET_SOURCE"] = "binance_ws",
            ["VELOZ_BINANCE_BASE_URL"] = _venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_WS_BASE_URL"] = _venue.StreamBaseUri.ToString(),
            ["VELOZ_BINANCE_WS_API_URL"] = _venue.WebSocketApiUri.ToString(),
            ["VELOZ_AUTH_ENABLED"] = "true",
            ["VELOZ_ADMIN_API_KEY"] = _adminKey,
            // Not used by this build's API or worker, but a deployment has it: it must not leak either.
            ["AzureSignalRConnectionString"] = $"Endpoint=http://127.0.0.1:9;AccessKey={_signalRAccessKey};Version=1.0;",
        };
        _worker = GatewayProcesses.StartWorker(env);
        if (ApiHosts.Enabled.Contains(ApiHosts.Standalone))
        {
            var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
            _api = api;
            _hosts[ApiHosts.Standalone] = baseAddress;
        }

        if (ApiHosts.Enabled.Contains(ApiHosts.Functions))
        {
            _standIn = await FunctionsHostStandIn.StartAsync(new FunctionsHostStandInOptions { AppDirectory = await FunctionsAppPublisher.GetVelozFunctionsAsync(), Environment = env }, Ct);
            _hosts[ApiHosts.Functions] = _standIn.BaseAddress;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await _worker.DisposeAsync();
        await _venue.DisposeAsync();
    }

    private async Task<JsonElement> Send(HttpClient client, HttpMethod method, string path, string? json = null, HttpStatusCode? expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        _responses.Add($"{(int)response.StatusCode} {response.Headers} {response.Content.Headers}{Environment.NewLine}{body}");
        if (expected is { } status)
        {
            Assert.True(response.StatusCode == status, $"{method} {path} answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body.Length == 0 ? "null" : body);
        return document.RootElement.Clone();
    }

    private async Task RunTrafficAsync(string host)
    {
        using var admin = new HttpClient { BaseAddress = _hosts[host], Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Add("X-API-Key", _adminKey);
        using var anonymous = new HttpClient { BaseAddress = _hosts[host], Timeout = TimeSpan.FromSeconds(30) };

        // 200 or 503 (before the worker's first heartbeat): only the body matters here.
        await Send(admin, HttpMethod.Get, "/health", expected: null);
        await Send(admin, HttpMethod.Get, "/api/config");
        await Send(admin, HttpMethod.Get, "/api/market");
        Assert.True((await Send(admin, HttpMethod.Get, "/api/execution/ping")).GetProperty("ok").GetBoolean());

        var created = await Send(admin, HttpMethod.Post, "/api/admin/keys", """{"name":"secrets trader","scope":"trade"}""");
        var tradeKey = created.GetProperty("api_key").GetString()!;
        _createdKeys.Add(tradeKey);
        using var trader = new HttpClient { BaseAddress = _hosts[host], Timeout = TimeSpan.FromSeconds(30) };
        trader.DefaultRequestHeaders.Add("Authorization", "Bearer " + tradeKey);

        var id = $"secrets-{host}";
        await Send(trader, HttpMethod.Post, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000.00,"client_order_id":"{{id}}"}""");
        await Send(trader, HttpMethod.Get, $"/api/order_state?client_order_id={id}");
        await Send(trader, HttpMethod.Get, "/api/orders_state");
        await Send(trader, HttpMethod.Get, "/api/account");
        await Send(trader, HttpMethod.Post, "/api/cancel", $$"""{"client_order_id":"{{id}}"}""");
        await Send(trader, HttpMethod.Post, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":1000,"price":10000.00}""", HttpStatusCode.BadRequest);
        await Send(trader, HttpMethod.Post, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000.001}""", HttpStatusCode.BadRequest);
        await Send(trader, HttpMethod.Post, "/api/admin/trading_mode", """{"mode":"cancel_only"}""", HttpStatusCode.Forbidden);

        await Send(admin, HttpMethod.Get, "/api/admin/keys");
        await Send(admin, HttpMethod.Post, "/api/admin/trading_mode", """{"mode":"cancel_only"}""");
        await Send(admin, HttpMethod.Post, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000.00}""", HttpStatusCode.Conflict);
        await Send(admin, HttpMethod.Post, "/api/admin/cancel_all", "");
        await Send(admin, HttpMethod.Post, "/api/admin/trading_mode", """{"mode":"normal"}""");
        await Send(admin, HttpMethod.Post, "/api/admin/keys/revoke", $$"""{"key_id":"{{created.GetProperty("key_id").GetString()}}"}""");
        await Send(trader, HttpMethod.Get, "/api/config", expected: HttpStatusCode.Unauthorized);

        await Send(anonymous, HttpMethod.Get, "/api/config", expected: HttpStatusCode.Unauthorized);
        using var wrong = new HttpClient { BaseAddress = _hosts[host], Timeout = TimeSpan.FromSeconds(30) };
        wrong.DefaultRequestHeaders.Add("X-API-Key", _adminKey[..^1]);
        await Send(wrong, HttpMethod.Post, "/api/order", "{}", HttpStatusCode.Unauthorized);
        await Send(anonymous, HttpMethod.Get, "/api/config?access_token=" + SimApiKey.VeloZTestApiKey, expected: HttpStatusCode.Unauthorized);
        await Send(admin, HttpMethod.Get, "/api/nope", expected: null);
        await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
    }

    [Fact]
    public async Task No_secret_appears_in_any_log_line_or_response()
    {
        foreach (var host in _hosts.Keys)
        {
            await RunTrafficAsync(host);
        }

        // Stop every process so that all their output has been read.
        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.StopAsync(s_stop);
        }

        await _worker.StopAsync(s_stop);
        var logs = new List<(string Source, string Line)>();
        logs.AddRange(_worker.Lines.Select(l => ("worker", l)));
        logs.AddRange((_api?.Lines ?? []).Select(l => ("api", l)));
        logs.AddRange((_standIn?.WorkerLogs ?? []).Select(l => ("functions worker", l)));

        Assert.Contains(logs, l => l.Line.Contains("[AUDIT] order_sent", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Line.Contains("[AUDIT] api_key_created", StringComparison.Ordinal));
        var secrets = new Dictionary<string, string>
        {
            ["Binance API key"] = SimApiKey.VeloZTestApiKey,
            ["Binance secret"] = SimApiKey.VeloZTestSecretKey,
            ["storage account key"] = AzuriteFixture.AccountKey,
            ["SignalR access key"] = _signalRAccessKey,
            ["admin key"] = _adminKey,
        };
        // Failure messages name where a secret was found, never the secret.
        foreach (var (name, secret) in secrets)
        {
            var inLogs = logs.Where(l => l.Line.Contains(secret, StringComparison.Ordinal)).Select(l => l.Source).Distinct().ToList();
            var inResponses = _responses.Count(r => r.Contains(secret, StringComparison.Ordinal));
            Assert.True(inLogs.Count == 0, $"The {name} appears in the output of: {string.Join(", ", inLogs)}");
            Assert.True(inResponses == 0, $"The {name} appears in {inResponses} response(s)");
        }

        foreach (var key in _createdKeys)
        {
            Assert.False(logs.Any(l => l.Line.Contains(key, StringComparison.Ordinal)), "A created API key appears in a log");
            Assert.Equal(1, _responses.Count(r => r.Contains(key, StringComparison.Ordinal)));
        }

        Assert.True(_responses.Count > 20 * _hosts.Count);
    }
}
