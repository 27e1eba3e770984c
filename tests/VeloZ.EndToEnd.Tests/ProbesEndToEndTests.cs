using System.Net;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// The probes of the real processes: the API's <c>/health/live</c> and <c>/health/ready</c> (ready with a live worker),
/// and the worker's own, next to its hub (found through <c>/api/negotiate</c>).
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class ProbesEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_api_is_live_and_ready_with_a_worker(string host)
    {
        var api = gateway.Api(host);
        using var live = await api.GetAsync("/health/live", Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var ready = await OrderWalkthrough.EventuallyAsync(api, "/health/ready", r => r.GetProperty("ok").GetBoolean());
        Assert.Empty(ready.GetProperty("reasons").EnumerateArray());
    }

    [Fact]
    public async Task The_worker_is_live_and_ready_while_its_heartbeat_reaches_storage()
    {
        using var negotiate = await gateway.Api(ApiHosts.Standalone).PostAsync("/api/negotiate", null, Ct);
        using var body = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync(Ct));
        var hub = new Uri(body.RootElement.GetProperty("url").GetString()!);
        using var worker = new HttpClient { BaseAddress = new Uri(hub.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };

        using var live = await worker.GetAsync("/health/live", Ct);
        using var ready = await worker.GetAsync("/health/ready", Ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var readyBody = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));
        Assert.True(readyBody.RootElement.GetProperty("ok").GetBoolean());
    }
}
