using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Runtime;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>
/// <c>/health/live</c> answers while the process does; <c>/health/ready</c> answers 503 naming why the gateway cannot
/// trade (storage, no worker, a venue ban) and 200 when it can; <c>/health</c> keeps its body and answers the same status.
/// </summary>
public sealed class HealthProbeTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool, bool, int?, string[]> Cases => new()
    {
        { true, true, null, [] },
        { false, false, null, [HealthProbeFunctions.StorageUnavailable] },
        { true, false, null, [HealthProbeFunctions.NoWorker] },
        { true, true, 60, [HealthProbeFunctions.VenueBanned] },
        { true, true, -60, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ready_names_every_reason_the_gateway_cannot_trade(bool storage, bool workerAlive, int? bannedForSeconds, string[] reasons)
    {
        var status = new WorkerStatus("w-1", s_now, s_now, MarketFeedStates.Running, null, null, true, bannedForSeconds is { } s ? s_now.AddSeconds(s) : null);
        var readings = storage
            ? new HealthReadings.Readings(true, new WorkerStatusView.Snapshot(status, workerAlive, TimeSpan.FromSeconds(1)), new WorkerStatusView.Snapshot(null, false, null), null, null)
            : new HealthReadings.Readings(false, null, null, null, null);

        Assert.Equal(reasons, HealthProbeFunctions.Reasons(readings, s_now));
    }

    [Fact]
    public async Task Without_a_worker_the_api_is_live_but_not_ready()
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite, new GatewayOptions()));

        using var live = await api.Client.GetAsync("/health/live", Ct);
        using var ready = await api.Client.GetAsync("/health/ready", Ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));
        Assert.False(body.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal([HealthProbeFunctions.NoWorker], body.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Health_answers_503_with_its_body_until_a_worker_heartbeat_then_200()
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite, new GatewayOptions()));

        using (var before = await api.Client.GetAsync("/health", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
            using var body = JsonDocument.Parse(await before.Content.ReadAsStringAsync(Ct));
            Assert.True(body.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal("never_seen", body.RootElement.GetProperty("components").GetProperty("worker").GetString());
        }

        await api.Services.GetRequiredService<TableStore>().EnsureCreatedAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        await api.Services.GetRequiredService<WorkerStatusRepository>().WriteAsync(new WorkerStatus("w-1", now, now, MarketFeedStates.Running, null, null, true), Ct);

        // The readings are at most 1 s old.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        HttpStatusCode status;
        string text;
        do
        {
            await Task.Delay(100, Ct);
            using var after = await api.Client.GetAsync("/health", Ct);
            (status, text) = (after.StatusCode, await after.Content.ReadAsStringAsync(Ct));
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        using var ok = JsonDocument.Parse(text);
        Assert.True(ok.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("alive", ok.RootElement.GetProperty("components").GetProperty("worker").GetString());
    }
}
