using System.Net;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// What the real processes export over OTLP, read by a collector: one MARKET order is one trace in the API (the
/// request, the order row's write, the venue request), and the worker's execution report and the published events
/// name the same order; both processes export their meters.
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class TelemetryEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task One_order_is_traced_from_the_request_to_the_venue_and_named_by_the_worker_report_and_publish(string host)
    {
        var api = gateway.Api(host);
        await OrderWalkthrough.EventuallyAsync(api, "/api/market", m => m.GetProperty("price").ValueKind == JsonValueKind.Number);
        var id = $"otel-{host}-{Guid.NewGuid():N}"[..30];
        var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","qty":0.001,"client_order_id":"{{id}}"}""");
        Assert.True(status == HttpStatusCode.OK, $"place answered {(int)status}: {body}");
        await OrderWalkthrough.EventuallyAsync(api, $"/api/order_state?client_order_id={id}", s => s.GetProperty("status").GetString() == "FILLED");

        var telemetry = gateway.Telemetry;
        var order = await SpanAsync(telemetry, s => s.Name == "veloz.order.place" && Names(s, id));
        Assert.Equal("veloz-api", order.Service);
        Assert.Equal("placed", order.Attributes["veloz.outcome"]);
        var insert = await SpanAsync(telemetry, s => s.Name == "veloz.storage.order_insert" && s.TraceId == order.TraceId);
        var venue = await SpanAsync(telemetry, s => s.Name == "veloz.venue.order" && s.TraceId == order.TraceId);
        Assert.Equal(order.SpanId, insert.ParentSpanId);
        Assert.Equal(order.SpanId, venue.ParentSpanId);
        Assert.Equal("accepted", venue.Attributes["veloz.venue.outcome"]);
        // The request's own span (Kestrel's, or the function invocation's under the Functions host) leads the trace.
        Assert.NotEqual("", order.ParentSpanId);
        await SpanAsync(telemetry, s => s.TraceId == order.TraceId && s.SpanId == order.ParentSpanId);
        await SpanAsync(telemetry, s => s.TraceId == order.TraceId && s.Kind == OtlpReceiver.SpanKindServer);

        var report = await SpanAsync(telemetry, s => s.Name == "veloz.user_stream.execution_report" && Names(s, id) && s.Attributes["veloz.order_status"] == "FILLED");
        Assert.Equal("veloz-worker", report.Service);
        var publish = await SpanAsync(telemetry, s => s.Name == "veloz.events.publish" && s.Events.Any(e => e.GetValueOrDefault("veloz.client_order_id") == id && e.GetValueOrDefault("veloz.event.type") == "fill"));
        Assert.Equal("veloz-worker", publish.Service);

        await EventuallyAsync(() => telemetry.HasMetric("veloz-api", "veloz.api.order.duration") && telemetry.HasMetric("veloz-worker", "veloz.worker.events.sequenced"), "both meters exported");
    }

    private static bool Names(ReceivedSpan span, string clientOrderId) =>
        span.Attributes.TryGetValue("veloz.client_order_id", out var named) && named.Split(',').Contains(clientOrderId);

    private static async Task<ReceivedSpan> SpanAsync(OtlpReceiver telemetry, Func<ReceivedSpan, bool> match)
    {
        ReceivedSpan? found = null;
        await EventuallyAsync(() => (found = telemetry.Spans.FirstOrDefault(match)) is not null, "the span was exported");
        return found!;
    }

    /// <summary>Exports are batched (every 200 ms for spans, every second for metrics, as the fixture sets them).</summary>
    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 20 s: {what}");
            await Task.Delay(100, Ct);
        }
    }
}
