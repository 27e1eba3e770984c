using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VeloZ.Testing;

namespace VeloZ.Bench;

/// <summary>
/// A whole gateway as a user runs it, on this machine: Azurite (in memory), the worker process (hosting the
/// simulated venue and the SignalR hub on free ports) and the standalone API process (on a free port), both
/// started with <c>dotnet</c> from their Release build outputs, in the default mode (market source
/// <c>sim</c>, execution <c>sim_engine</c>). Ready once an SSE client of the API receives a market event,
/// i.e. the whole push path (venue, worker, hub, the API's subscription, fan-out) is up.
/// </summary>
internal sealed partial class PushGateway : IAsyncDisposable
{
    private readonly AzuriteFixture _azurite;
    private ChildProcess? _worker;
    private ChildProcess? _api;

    private PushGateway(AzuriteFixture azurite) => _azurite = azurite;

    public Uri ApiBase { get; private set; } = null!;

    /// <summary>Process ids of Azurite, the worker and the API (for CPU accounting).</summary>
    public IReadOnlyDictionary<string, int> Processes { get; private set; } = new Dictionary<string, int>();

    /// <summary>Starts the gateway; <paramref name="apiDirectory"/> runs another build of the API (e.g. a saved one, for before/after comparisons).</summary>
    public static async Task<PushGateway> StartAsync(int tickMs, string? apiDirectory = null)
    {
        var workerDll = Path.Combine(RepositoryPaths.BuildOutput("worker/VeloZ.Worker"), "VeloZ.Worker.dll");
        var apiDll = Path.Combine(apiDirectory ?? RepositoryPaths.BuildOutput("functions/VeloZ.Functions"), "VeloZ.Functions.dll");
        foreach (var dll in new[] { workerDll, apiDll })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build the solution in {RepositoryPaths.Configuration} first.");
            }
        }

        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var gateway = new PushGateway(azurite);
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["VELOZ_STORAGE_PREFIX"] = "bench",
                ["VELOZ_SIM_TICK_MS"] = tickMs.ToString(CultureInfo.InvariantCulture),
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            };
            gateway._worker = ChildProcess.StartDotnet("worker", workerDll, new Dictionary<string, string?>(environment) { ["VELOZ_HUB_URL"] = "http://127.0.0.1:0" });
            gateway._api = ChildProcess.StartDotnet("api", apiDll, new Dictionary<string, string?>(environment) { ["VELOZ_HOST"] = "127.0.0.1", ["VELOZ_PORT"] = "0", ["VELOZ_RATE_LIMIT_PER_SECOND"] = "0" });
            var listening = await gateway._api.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(120));
            gateway.ApiBase = new Uri(listening.Groups[1].Value);
            gateway.Processes = CpuMeter.NamedChildren();
            await gateway.WaitForMarketAsync(TimeSpan.FromSeconds(120));
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the push path delivers a market event to an SSE client and <c>/api/market</c> has a price.</summary>
    private async Task WaitForMarketAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = ApiBase, Timeout = Timeout.InfiniteTimeSpan };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using (var sse = await SseClient.OpenAsync(http, "/api/stream"))
            {
                var events = await sse.CollectAsync(e => e.Any(x => x.Event == "market"), TimeSpan.FromSeconds(5));
                if (events.Any(x => x.Event == "market"))
                {
                    using var market = JsonDocument.Parse(await http.GetStringAsync("/api/market"));
                    if (market.RootElement.GetProperty("price").ValueKind == JsonValueKind.Number)
                    {
                        return;
                    }
                }
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"No market event on /api/stream within {timeout}.{Environment.NewLine}worker:{Environment.NewLine}{_worker?.Output}{Environment.NewLine}api:{Environment.NewLine}{_api?.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        // Azurite is a child process: never leave it running, whatever happened above.
        await _azurite.DisposeAsync();
    }

    [GeneratedRegex(@"VeloZ API listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
