using System.Diagnostics;
using System.Net;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// <c>/health</c> follows storage: the real worker and standalone API on an Azurite of their own (on disk, so its data
/// outlives a restart); when Azurite dies <c>/health</c> answers 503 within 5 s, with its body saying storage is
/// unavailable, and 200 again once Azurite is back.
/// </summary>
public sealed class HealthOutageEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan s_turnsUnavailableWithin = TimeSpan.FromSeconds(5);
    private readonly string _location = Directory.CreateTempSubdirectory("veloz-azurite-").FullName;
    private AzuriteFixture _azurite = null!;
    private ChildProcess _worker = null!;
    private ChildProcess? _api;
    private HttpClient _client = null!;
    private Dictionary<string, string?> _environment = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _azurite = await AzuriteFixture.StartOnDiskAsync(_location);
        var env = _environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            // The outage here is shorter than the lease, so the worker keeps leading through it.
            ["VELOZ_WORKER_LEASE_SECONDS"] = "60",
        };
        _worker = GatewayProcesses.StartWorker(env);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        _api = api;
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await _worker.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_location, recursive: true);
    }

    [Fact]
    public async Task Health_turns_503_within_5_s_of_storage_stopping_and_200_after_it_returns()
    {
        var (readyStatus, _) = await GatewayHealth.WaitUntilReadyAsync(_client, TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(HttpStatusCode.OK, readyStatus);

        await _azurite.KillAsync();
        var stopped = Stopwatch.StartNew();
        var (downStatus, down) = await GatewayHealth.WaitAsync(_client, (status, _) => status == HttpStatusCode.ServiceUnavailable, s_turnsUnavailableWithin * 2, Ct);
        var turned = stopped.Elapsed;

        Assert.True(turned <= s_turnsUnavailableWithin, $"/health answered 503 {turned} after storage stopped");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.True(down.GetProperty("ok").GetBoolean());
        Assert.Equal("unavailable", down.GetProperty("components").GetProperty("storage").GetString());

        await _azurite.StartAgainAsync();
        var (backStatus, back) = await GatewayHealth.WaitAsync(_client, (status, _) => status == HttpStatusCode.OK || RestartedAfterLosingTheLease(), TimeSpan.FromSeconds(30), Ct);
        if (backStatus != HttpStatusCode.OK)
        {
            (backStatus, back) = await GatewayHealth.WaitUntilReadyAsync(_client, TimeSpan.FromSeconds(30), Ct);
        }

        Assert.Equal(HttpStatusCode.OK, backStatus);
        Assert.Equal("ok", back.GetProperty("components").GetProperty("storage").GetString());
        Assert.Equal("alive", back.GetProperty("components").GetProperty("worker").GetString());
    }

    /// <summary>
    /// Azurite saves its blob metadata every few seconds: killed soon after the worker took the lease, it may come back
    /// without it. The worker then finds the lease no longer its own and exits with code 3 to restart as a standby; a
    /// platform restarts it, and so does this test. Any other exit is a failure.
    /// </summary>
    private bool RestartedAfterLosingTheLease()
    {
        if (!_worker.HasExited)
        {
            return false;
        }

        Assert.True(_worker.ExitCode == 3, $"The worker exited with {_worker.ExitCode} during the outage. Output:\n{_worker.Output}");
        _worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _worker = GatewayProcesses.StartWorker(_environment);
        return true;
    }
}
