using System.Net;
using System.Text.RegularExpressions;
using VeloZ.FunctionsHost;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>Push across process lifetimes: a worker killed and restarted mid-stream, and a stream that ends at its lifetime under the Functions host.</summary>
public sealed partial class PushRestartEndToEndTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Environment(string prefix) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["VELOZ_STORAGE_PREFIX"] = prefix,
        ["VELOZ_MARKET_SYMBOL"] = "BTCUSDT",
    };

    [Fact]
    public async Task Killing_and_restarting_the_worker_keeps_ids_rising_and_tells_each_order_event_once()
    {
        var env = Environment(AzuriteFixture.NewStoragePrefix());
        var worker = GatewayProcesses.StartWorker(env);
        await using var killed = worker;
        var (apiProcess, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        await using var _ = apiProcess;
        using var api = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await GatewayProcesses.WaitUntilTradingAsync(api);

        await using var stream = await SseClient.OpenAsync(api, "/api/stream", cancellationToken: Ct);
        var seen = await stream.CollectAsync(l => l.Count >= 1, TimeSpan.FromSeconds(30));
        var firstId = seen[0].Id!.Value;

        var before = await PlaceAsync(api, "rb", 5);
        await stream.CollectAsync(l => Saw(l, before), TimeSpan.FromSeconds(30), seen);
        Assert.True(Saw(seen, before), "orders placed before the kill were not all told");
        var lastBeforeKill = seen[^1].Id!.Value;

        await worker.KillAsync(TimeSpan.FromSeconds(10));
        await using var restarted = GatewayProcesses.StartWorker(env);
        await GatewayProcesses.WaitUntilTradingAsync(api);
        var after = await PlaceAsync(api, "ra", 5);
        await stream.CollectAsync(l => Saw(l, after), TimeSpan.FromSeconds(60), seen);
        Assert.True(Saw(seen, after), $"orders placed after the restart were not all told; worker output:\n{restarted.Output}");

        var afterIds = seen.Where(e => after.Any(id => e.Data.Contains($"\"{id}\"", StringComparison.Ordinal))).Select(e => e.Id!.Value).ToList();
        Assert.True(afterIds.Min() > lastBeforeKill, $"an id was reused: {afterIds.Min()} after {lastBeforeKill}");

        // A client resuming from the first id gets every order event exactly once, across the restart.
        await using var resumed = await SseClient.OpenAsync(api, $"/api/stream?last_id={firstId - 1}", cancellationToken: Ct);
        var replay = await resumed.CollectAsync(l => Saw(l, after), TimeSpan.FromSeconds(30));
        for (var i = 1; i < replay.Count; i++)
        {
            Assert.True(replay[i].Id > replay[i - 1].Id, $"ids went {replay[i - 1].Id} → {replay[i].Id}");
        }

        foreach (var id in before.Concat(after))
        {
            var updates = replay.Where(e => e.Event == "order_update" && e.Data.Contains($"\"{id}\"", StringComparison.Ordinal)).Select(e => StatusOf(e.Data)).ToList();
            Assert.True(updates.Count(s => s == "ACCEPTED") == 1, $"{id}: updates {string.Join(",", updates)}");
            Assert.Equal(updates.Count, updates.Distinct().Count());
        }
    }

    [Fact]
    public async Task Under_the_Functions_host_a_stream_ends_at_its_lifetime_and_resumes_by_Last_Event_ID()
    {
        if (!ApiHosts.Enabled.Contains(ApiHosts.Functions))
        {
            Assert.Skip("VELOZ_TEST_HOST excludes the Functions host");
        }

        var env = Environment(AzuriteFixture.NewStoragePrefix());
        env["VELOZ_STREAM_MAX_SECONDS"] = "4";
        var adminKey = "restart-admin-" + Guid.NewGuid().ToString("N");
        env["VELOZ_ADMIN_API_KEY"] = adminKey;
        await using var worker = GatewayProcesses.StartWorker(env);
        var app = await FunctionsAppPublisher.GetVelozFunctionsAsync(cancellationToken: Ct);
        await using var standIn = await FunctionsHostStandIn.StartAsync(new FunctionsHostStandInOptions { AppDirectory = app, Environment = env }, Ct);
        using var api = new HttpClient { BaseAddress = standIn.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Add("X-API-Key", adminKey);
        await OrderWalkthrough.EventuallyAsync(api, "/api/market", b => b.GetProperty("price").ValueKind == System.Text.Json.JsonValueKind.Number, TimeSpan.FromSeconds(60));

        var started = DateTime.UtcNow;
        await using var first = await SseClient.OpenAsync(api, "/api/stream", cancellationToken: Ct);
        var firstEvents = await first.CollectAsync(_ => false, TimeSpan.FromSeconds(15));
        await first.Completion.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var lived = DateTime.UtcNow - started;
        Assert.InRange(lived, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(12));
        Assert.NotEmpty(firstEvents);
        var last = firstEvents[^1].Id!.Value;

        await using var second = await SseClient.OpenAsync(api, "/api/stream", lastEventId: last.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Ct);
        var next = await second.CollectAsync(l => l.Count >= 2, TimeSpan.FromSeconds(15));
        Assert.NotEmpty(next);
        Assert.True(next[0].Id > last, $"resumed at {next[0].Id} after {last}");
    }

    private static async Task<List<string>> PlaceAsync(HttpClient api, string tag, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{tag}{Guid.NewGuid():N}"[..20]).ToList();
        foreach (var id in ids)
        {
            var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"{{id}}"}""");
            Assert.True(status == HttpStatusCode.OK, $"{id}: {(int)status} {body}");
        }

        return ids;
    }

    private static bool Saw(IReadOnlyList<SseEvent> events, IEnumerable<string> ids) =>
        ids.All(id => events.Any(e => e.Event == "order_update" && e.Data.Contains($"\"{id}\"", StringComparison.Ordinal) && e.Data.Contains("\"ACCEPTED\"", StringComparison.Ordinal)));

    private static string StatusOf(string data) => StatusPattern().Match(data).Groups[1].Value;

    [GeneratedRegex("\"status\":\"([A-Z_]+)\"")]
    private static partial Regex StatusPattern();
}
