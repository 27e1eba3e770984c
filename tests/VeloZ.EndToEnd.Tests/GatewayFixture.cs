using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// One running gateway shared by the end-to-end contract tests: Azurite, the worker and the API as
/// separate processes on loopback, each test talking to the API over HTTP as a client would.
/// </summary>
public sealed class GatewayFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    private ChildProcess? _worker;
    private ChildProcess? _api;

    public string StoragePrefix { get; } = AzuriteFixture.NewStoragePrefix();

    public HttpClient Api { get; private set; } = null!;

    public ChildProcess Worker => _worker!;

    public ChildProcess ApiProcess => _api!;

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["VELOZ_STORAGE_PREFIX"] = StoragePrefix,
        ["VELOZ_MARKET_SYMBOL"] = "BTCUSDT",
        ["VELOZ_SIM_START_PRICE"] = "42000.5",
    };

    public async ValueTask InitializeAsync()
    {
        _worker = GatewayProcesses.StartWorker(Environment);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(Environment);
        _api = api;
        Api = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
