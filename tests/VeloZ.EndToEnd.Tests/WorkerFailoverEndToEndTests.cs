using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// One active worker: two worker processes and the standalone API on the same storage, in
/// <c>binance_testnet_spot</c> mode against one simulated venue (the offline testnet stand-in). The first
/// worker leads; the second waits as a standby and takes over when the leader is killed or stops. A client
/// reads <c>/api/stream</c> throughout and places orders through the API before, during and after the
/// failover.
/// </summary>
public sealed partial class WorkerFailoverEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The default lease (<c>VELOZ_WORKER_LEASE_SECONDS</c>).</summary>
    private static readonly TimeSpan s_lease = TimeSpan.FromSeconds(15);

    /// <summary>A standby's attempt interval plus request and log latency.</summary>
    private static readonly TimeSpan s_margin = TimeSpan.FromSeconds(5);

    private readonly List<ChildProcess> _processes = [];
    private readonly string _prefix = AzuriteFixture.NewStoragePrefix();
    private SimVenueHandle _venue = null!;
    private HttpClient _api = null!;
    private Uri _apiBase = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Environment => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["VELOZ_STORAGE_PREFIX"] = _prefix,
        ["VELOZ_EXECUTION_MODE"] = "binance_testnet_spot",
        ["VELOZ_BINANCE_TRADE_BASE_URL"] = _venue.RestBaseUri.ToString(),
        ["VELOZ_BINANCE_API_KEY"] = SimApiKey.VeloZTestApiKey,
        ["VELOZ_BINANCE_API_SECRET"] = SimApiKey.VeloZTestSecretKey,
        ["VELOZ_MARKET_SOURCE"] = "binance_ws",
        ["VELOZ_BINANCE_BASE_URL"] = _venue.RestBaseUri.ToString(),
        ["VELOZ_BINANCE_WS_BASE_URL"] = _venue.StreamBaseUri.ToString(),
        ["VELOZ_BINANCE_WS_API_URL"] = _venue.WebSocketApiUri.ToString(),
    };

    public async ValueTask InitializeAsync() =>
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.FromMilliseconds(200) }, Ct);

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _venue.DisposeAsync();
    }

    [Fact]
    public async Task When_the_leader_is_killed_the_standby_takes_over_within_the_lease_and_the_stream_loses_and_repeats_nothing()
    {
        var leader = await StartLeaderAsync("worker-a");
        var standby = await StartStandbyAsync("worker-b");
        await StartApiAsync();
        await using var stream = StreamRecorder.Start(_apiBase);
        await EventuallyAsync(() => stream.Events.Count > 0, TimeSpan.FromSeconds(30), "no event reached the stream from the leader");

        var (status, health) = await GatewayHealth.WaitAsync(_api, (_, h) => h.GetProperty("components").GetProperty("worker_standby").GetString() == "alive", TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alive", health.GetProperty("components").GetProperty("worker").GetString());
        var before = await PlaceAsync("before", 4);
        await EventuallyAsync(() => before.All(id => Accepted(stream, id) == 1), TimeSpan.FromSeconds(30), "the leader did not tell the first orders");
        // Placed just before the kill: the leader may or may not have told them.
        var edge = await PlaceAsync("edge", 2);

        await leader.KillAsync(TimeSpan.FromSeconds(10));
        var killed = Stopwatch.StartNew();
        var lastBeforeKill = stream.Events[^1].Id;
        // While nobody leads, the API still places orders on the venue; the next leader tells them.
        var during = await PlaceAsync("during", 3);

        await standby.WaitForLineAsync(LeaseAcquired(), s_lease + s_margin + TimeSpan.FromSeconds(5), Ct);
        var takeover = killed.Elapsed;
        Assert.True(takeover <= s_lease + s_margin, $"the standby took over {takeover} after the kill; the lease is {s_lease}");

        var after = await PlaceAsync("after", 3);
        string[] all = [.. before, .. edge, .. during, .. after];
        await EventuallyAsync(() => all.All(id => Accepted(stream, id) >= 1), TimeSpan.FromSeconds(60), "not every order's acceptance reached the stream");
        await OrderWalkthrough.EventuallyAsync(_api, "/api/config", c => c.GetProperty("binance_user_stream_connected").GetBoolean());
        // The former standby now leads, and nobody stands by.
        var (statusAfter, _) = await GatewayHealth.WaitAsync(_api, (_, h) =>
            h.GetProperty("components").GetProperty("worker").GetString() == "alive" && h.GetProperty("components").GetProperty("worker_standby").GetString() == "none", TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(HttpStatusCode.OK, statusAfter);
        // Time for any repeat to show up.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var events = stream.Events;
        Assert.Empty(stream.Breaks);
        AssertIdsStrictlyIncrease(events);
        Assert.Contains(events, e => e.Id > lastBeforeKill);
        Assert.All(all, id => Assert.True(Accepted(stream, id) == 1, $"{id} accepted {Accepted(stream, id)} times: ids {string.Join(", ", stream.Events.Where(e => e.ClientOrderId == id).Select(e => $"{e.Id} {e.Type} {e.Status}"))}; last id before the kill {lastBeforeKill}; {string.Join(" | ", standby.Lines.Where(l => l.Contains("sequencer", StringComparison.Ordinal)))}"));
        Assert.Equal(all.Length, _venue.Counters.OrdersReceived);
        Assert.Contains(standby.Lines, l => l.Contains("is a standby", StringComparison.Ordinal));
        Assert.DoesNotContain(standby.Lines, l => l.Contains("worker_lease_lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_leader_that_stops_gracefully_releases_the_lease_and_the_standby_takes_over_at_once()
    {
        var leader = await StartLeaderAsync("worker-a");
        var standby = await StartStandbyAsync("worker-b");
        await StartApiAsync();
        await using var stream = StreamRecorder.Start(_apiBase);
        await EventuallyAsync(() => stream.Events.Count > 0, TimeSpan.FromSeconds(30), "no event reached the stream from the leader");
        var before = await PlaceAsync("graceful-before", 2);
        await EventuallyAsync(() => before.All(id => Accepted(stream, id) == 1), TimeSpan.FromSeconds(30), "the leader did not tell the first orders");

        Assert.Equal(0, await leader.StopAsync(TimeSpan.FromSeconds(30)));
        var stopped = Stopwatch.StartNew();
        await standby.WaitForLineAsync(LeaseAcquired(), s_lease, Ct);

        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5), $"the standby took over {stopped.Elapsed} after the leader stopped; releasing should spare the {s_lease} lease");
        Assert.Contains(leader.Lines, l => l.Contains("[AUDIT] worker_lease_released", StringComparison.Ordinal));
        var after = await PlaceAsync("graceful-after", 2);
        string[] all = [.. before, .. after];
        await EventuallyAsync(() => all.All(id => Accepted(stream, id) >= 1), TimeSpan.FromSeconds(60), "not every order's acceptance reached the stream");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        Assert.Empty(stream.Breaks);
        AssertIdsStrictlyIncrease(stream.Events);
        Assert.All(all, id => Assert.Equal(1, Accepted(stream, id)));
    }

    [Fact]
    public async Task A_leader_whose_lease_is_taken_away_stops_and_exits_with_code_3()
    {
        var leader = await StartLeaderAsync("worker-a");

        // An operator (or a split network) breaks the lease: the next renewal is refused.
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_prefix + "leases").GetBlobClient("worker-leader");
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        // Renewals come every third of the lease.
        var exitCode = await leader.WaitForExitAsync(s_lease / 3 + s_margin + TimeSpan.FromSeconds(10));
        Assert.Equal(3, exitCode);
        var lost = Assert.Single(leader.Lines, l => l.Contains("[AUDIT] worker_lease_lost", StringComparison.Ordinal));
        Assert.Contains("refused", lost, StringComparison.Ordinal);
        Assert.DoesNotContain(leader.Lines, l => l.Contains("worker_lease_released", StringComparison.Ordinal));
    }

    private async Task<ChildProcess> StartLeaderAsync(string name)
    {
        var worker = StartWorker(name);
        await worker.WaitForLineAsync(LeaseAcquired(), TimeSpan.FromSeconds(60), Ct);
        return worker;
    }

    private async Task<ChildProcess> StartStandbyAsync(string name)
    {
        var worker = StartWorker(name);
        await worker.WaitForLineAsync(HeldElsewhere(), TimeSpan.FromSeconds(60), Ct);
        Assert.DoesNotContain(worker.Lines, l => l.Contains("worker_lease_acquired", StringComparison.Ordinal));
        return worker;
    }

    private ChildProcess StartWorker(string name)
    {
        var worker = ChildProcess.StartDotnet(name, GatewayProcesses.WorkerDll, new Dictionary<string, string?>(Environment) { ["VELOZ_HUB_URL"] = "http://127.0.0.1:0" });
        _processes.Add(worker);
        return worker;
    }

    private async Task StartApiAsync()
    {
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(Environment);
        _processes.Add(api);
        _apiBase = baseAddress;
        _api = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Places resting BUY orders far below the market; returns their client order ids.</summary>
    private async Task<string[]> PlaceAsync(string label, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = $"fo-{label}-{i}";
            var (status, body) = await OrderWalkthrough.PostAsync(_api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{10000 + i}},"client_order_id":"{{ids[i]}}"}""");
            Assert.True(status == HttpStatusCode.OK, $"order {ids[i]} answered {(int)status}: {body}");
        }

        return ids;
    }

    /// <summary>How often the stream told <paramref name="clientOrderId"/>'s acceptance.</summary>
    private static int Accepted(StreamRecorder stream, string clientOrderId) =>
        stream.Events.Count(e => e.Type == "order_update" && e.ClientOrderId == clientOrderId && e.Status == "ACCEPTED");

    private static void AssertIdsStrictlyIncrease(IReadOnlyList<StreamEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Id > events[i - 1].Id, $"event {i} has id {events[i].Id} after {events[i - 1].Id}");
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, failure);
            await Task.Delay(100, Ct);
        }
    }

    [GeneratedRegex(@"\[AUDIT\] worker_lease_acquired")]
    private static partial Regex LeaseAcquired();

    [GeneratedRegex(@"another worker holds the lease")]
    private static partial Regex HeldElsewhere();
}
