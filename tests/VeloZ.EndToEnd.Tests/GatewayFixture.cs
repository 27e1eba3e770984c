using VeloZ.FunctionsHost;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// One running gateway shared by the end-to-end contract tests: Azurite, the worker, and the API in
/// every host of <see cref="ApiHosts.Enabled"/> (standalone process, and the published Functions worker
/// behind the Functions host stand-in), all on the same storage. Tests talk HTTP to them as a client would.
/// Both hosts run with API authentication on (set explicitly, so they behave alike) and a bootstrap admin
/// key, which the clients of <see cref="Api"/> send; <see cref="Anonymous"/> gives clients without it.
/// A derived fixture changes settings through <see cref="ExtraSettings"/>.
/// </summary>
public class GatewayFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> _clients = [];
    private ChildProcess? _worker;
    private ChildProcess? _api;
    private FunctionsHostStandIn? _standIn;
    private OtlpReceiver? _telemetry;

    public string StoragePrefix { get; } = AzuriteFixture.NewStoragePrefix();

    /// <summary>The bootstrap admin key of this gateway (random per run).</summary>
    public string AdminKey { get; } = "e2e-admin-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public ChildProcess Worker => _worker!;

    /// <summary>Where every process of this gateway exports its traces and metrics (OTLP), as a collector would receive them.</summary>
    internal OtlpReceiver Telemetry => _telemetry!;

    /// <summary>The standalone API process, when the <c>standalone</c> host is enabled.</summary>
    public ChildProcess? StandaloneApi => _api;

    /// <summary>The Functions host stand-in, when the <c>functions</c> host is enabled.</summary>
    public FunctionsHostStandIn? StandIn => _standIn;

    /// <summary>Where the API of <paramref name="host"/> serves its functions from (for its functions.metadata).</summary>
    public string AppDirectory(string host) => host == ApiHosts.Functions ? _standIn!.AppDirectory : Path.GetDirectoryName(GatewayProcesses.ApiDll)!;

    public IReadOnlyDictionary<string, string?> Environment
    {
        get
        {
            var environment = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["VELOZ_STORAGE_PREFIX"] = StoragePrefix,
                ["VELOZ_MARKET_SYMBOL"] = "BTCUSDT",
                ["VELOZ_SIM_START_PRICE"] = "42000.5",
                ["VELOZ_AUTH_ENABLED"] = "true",
                ["VELOZ_ADMIN_API_KEY"] = AdminKey,
                ["VELOZ_CORS_ORIGINS"] = DashboardOrigin,
            };
            foreach (var (name, value) in _telemetry?.Settings ?? new Dictionary<string, string?>())
            {
                environment[name] = value;
            }

            foreach (var (name, value) in ExtraSettings)
            {
                environment[name] = value;
            }

            return environment;
        }
    }

    /// <summary>Settings a derived fixture adds or replaces (none here).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    /// <summary>The one browser origin the gateway lists in <c>VELOZ_CORS_ORIGINS</c>.</summary>
    public const string DashboardOrigin = "https://dashboard.example";

    /// <summary>An HTTP client for the API in <paramref name="host"/>, sending the admin key.</summary>
    public HttpClient Api(string host) => _clients[host];

    /// <summary>A new client for the API in <paramref name="host"/> that sends no key (the caller disposes it).</summary>
    public HttpClient Anonymous(string host) => new() { BaseAddress = _clients[host].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A new client for the API in <paramref name="host"/> that sends <paramref name="key"/> as <c>X-API-Key</c>.</summary>
    public HttpClient WithKey(string host, string key)
    {
        var client = Anonymous(host);
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private HttpClient AdminClient(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        _telemetry = await OtlpReceiver.StartAsync();
        _worker = GatewayProcesses.StartWorker(Environment);
        var starts = new List<Task>();
        if (ApiHosts.Enabled.Contains(ApiHosts.Standalone))
        {
            starts.Add(StartStandaloneAsync());
        }

        if (ApiHosts.Enabled.Contains(ApiHosts.Functions))
        {
            starts.Add(StartFunctionsAsync());
        }

        await Task.WhenAll(starts);

        // The worker leads (and hosts the venue) only once it holds the lease: wait for it, as a client would.
        var api = _clients.Values.First();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var ping = await api.GetAsync("/api/execution/ping");
                if ((await ping.Content.ReadAsStringAsync()).Contains("\"ok\":true", StringComparison.Ordinal))
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }
    }

    private async Task StartStandaloneAsync()
    {
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(Environment);
        _api = api;
        _clients[ApiHosts.Standalone] = AdminClient(baseAddress);
    }

    private async Task StartFunctionsAsync()
    {
        var app = await FunctionsAppPublisher.GetVelozFunctionsAsync();
        _standIn = await FunctionsHostStandIn.StartAsync(new FunctionsHostStandInOptions { AppDirectory = app, Environment = Environment });
        _clients[ApiHosts.Functions] = AdminClient(_standIn.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
