using VeloZ.Testing;

namespace VeloZ.FunctionsHost.Tests;

/// <summary>One stand-in shared by a test class; each test sees the worker's log lines of its own time.</summary>
public abstract class StandInFixture : IAsyncLifetime
{
    private FunctionsHostStandIn? _host;

    public FunctionsHostStandIn Host => _host ?? throw new InvalidOperationException("The stand-in has not started.");

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await StartAsync();
        Client = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        ConfigureClient(Client);
    }

    /// <summary>Default headers for the fixture's client (e.g. an API key).</summary>
    protected virtual void ConfigureClient(HttpClient client)
    {
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract Task<FunctionsHostStandIn> StartAsync();
}

/// <summary>
/// The published VeloZ.Functions behind the stand-in, on Azurite. Under the Functions host VeloZ requires
/// API keys by default, so the fixture sets a bootstrap admin key and its client sends it.
/// </summary>
public sealed class VelozFunctionsFixture(AzuriteFixture azurite) : StandInFixture
{
    public const string AdminKey = "stand-in-admin-key-0123456789abcdef";

    protected override async Task<FunctionsHostStandIn> StartAsync() =>
        await FunctionsHostStandIn.StartAsync(new FunctionsHostStandInOptions
        {
            AppDirectory = await TestApps.VelozFunctionsAsync(),
            Environment = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
                ["VELOZ_ADMIN_API_KEY"] = AdminKey,
            },
        });

    protected override void ConfigureClient(HttpClient client) => client.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
}

/// <summary>The test app behind the stand-in.</summary>
public sealed class TestAppFixture : StandInFixture
{
    protected override async Task<FunctionsHostStandIn> StartAsync() =>
        await FunctionsHostStandIn.StartAsync(new FunctionsHostStandInOptions { AppDirectory = await TestApps.TestAppAsync() });
}

/// <summary>Writes the worker log lines that arrived during a test to that test's output.</summary>
public abstract class StandInTest : IDisposable
{
    private readonly FunctionsHostStandIn _host;
    private readonly ITestOutputHelper _output;
    private readonly int _firstLine;

    protected StandInTest(StandInFixture fixture, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _host = fixture.Host;
        _output = output;
        _firstLine = _host.WorkerLogs.Count;
    }

    public void Dispose()
    {
        foreach (var line in _host.WorkerLogs.Skip(_firstLine))
        {
            _output.WriteLine(line);
        }

        GC.SuppressFinalize(this);
    }
}
