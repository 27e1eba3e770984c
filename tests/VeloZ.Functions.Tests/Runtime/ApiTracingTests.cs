using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using VeloZ.Functions.Tests.Orders;
using VeloZ.Hosting;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Runtime;

/// <summary>
/// The API's OpenTelemetry wiring, read from in-memory exporters as an exporter would see it: one order is one trace
/// from the HTTP request through the order row's write and the venue request (down to its HTTP call), every span of
/// it names the order, the metrics are exported, and no span carries a credential or a signature.
/// </summary>
public sealed partial class ApiTracingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_order_is_one_trace_from_the_request_through_the_storage_write_and_the_venue_call()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var export = new TelemetryExport { Traces = t => t.AddInMemoryExporter(spans), Metrics = m => m.AddInMemoryExporter(metrics) };
        await using var backed = await VenueBackedApi.StartAsync(azurite, Ct, services: s => s.AddSingleton(export));

        // A client that sends no trace context, as most callers: this test's own process shares the tracer, and a
        // caller's unsampled context would be honoured (the API follows its caller's sampling decision).
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = backed.Api.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, """{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":45000,"client_order_id":"trace-1"}"""));
        // Found by the order's id and trace: the tracer listens process-wide, so other tests' orders are recorded too.
        var order = await SpanAsync(spans, s => s.OperationName == "veloz.order.place" && Tag(s, VelozTelemetry.ClientOrderId) == "trace-1");
        var server = await SpanAsync(spans, s => s.Kind == ActivityKind.Server && Tag(s, "url.path") == "/api/order" && s.TraceId == order.TraceId);
        var insert = await SpanAsync(spans, s => s.OperationName == "veloz.storage.order_insert" && s.TraceId == order.TraceId);
        var venue = await SpanAsync(spans, s => s.OperationName == "veloz.venue.order" && s.TraceId == order.TraceId);
        var venueHttp = await SpanAsync(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == venue.SpanId);

        Assert.Equal(server.SpanId, order.ParentSpanId);
        Assert.Equal(order.SpanId, insert.ParentSpanId);
        Assert.Equal(order.SpanId, venue.ParentSpanId);
        Assert.All(new[] { server, order, insert, venue, venueHttp }, s => Assert.Equal(server.TraceId, s.TraceId));
        Assert.All(new[] { order, insert, venue }, s => Assert.Equal("trace-1", Tag(s, VelozTelemetry.ClientOrderId)));
        Assert.Equal("placed", Tag(order, "veloz.outcome"));
        Assert.Equal("BTCUSDT", Tag(order, "veloz.symbol"));
        Assert.Equal("accepted", Tag(venue, "veloz.venue.outcome"));
        Assert.Contains("/api/v3/order", Tag(venueHttp, "url.full"), StringComparison.Ordinal);
        Assert.Equal(1, backed.Venue.Counters.OrdersReceived);

        // A refused order is traced with the contract's error code, and never reaches the venue.
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(client, """{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":45000.005,"client_order_id":"trace-2"}"""));
        var refused = await SpanAsync(spans, s => s.OperationName == "veloz.order.place" && Tag(s, VelozTelemetry.ClientOrderId) == "trace-2");
        Assert.Equal("filter_violation", Tag(refused, "veloz.outcome"));
        Assert.DoesNotContain(spans.ToArray(), s => s.OperationName == "veloz.venue.order" && s.TraceId == refused.TraceId);

        // Query strings are redacted (the stream's access_token travels there); probes are not traced.
        using (var response = await client.GetAsync(new Uri("/api/config?access_token=tok-must-not-be-exported", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var probe = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        await SpanAsync(spans, s => s.Kind == ActivityKind.Server && Tag(s, "url.path") == "/api/config");
        Assert.DoesNotContain(spans.ToArray(), s => Tag(s, "url.path") == "/health/live");
        var exported = spans.ToArray().SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}").ToList();
        Assert.DoesNotContain(exported, t => t.Contains("tok-must-not-be-exported", StringComparison.Ordinal));
        Assert.DoesNotContain(exported, t => t.Contains(SimApiKey.VeloZTestApiKey, StringComparison.Ordinal) || t.Contains(SimApiKey.VeloZTestSecretKey, StringComparison.Ordinal));
        Assert.DoesNotContain(exported, t => Signature().IsMatch(t));

        // The metrics reach the exporter with their tags.
        Assert.True(backed.Api.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        var orderDuration = Assert.Single(metrics, m => m.Name == "veloz.api.order.duration");
        Assert.Contains("outcome=placed", PointTags(orderDuration));
        Assert.Contains("outcome=filter_violation", PointTags(orderDuration));
        Assert.Contains(metrics, m => m.Name == "veloz.api.venue.duration");
        Assert.Contains(metrics, m => m.Name == "http.server.request.duration");
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/order", UriKind.Relative), content, Ct);
        return response.StatusCode;
    }

    /// <summary>Spans are exported as they end; a server span ends just after its response is sent.</summary>
    private static async Task<Activity> SpanAsync(List<Activity> spans, Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (spans.ToArray().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the span was not exported within 10 s; exported: {string.Join(", ", spans.ToArray().Select(s => $"{s.Kind} {s.OperationName} {s.DisplayName}"))}");
            await Task.Delay(20, Ct);
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static List<string> PointTags(Metric metric)
    {
        var tags = new List<string>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                tags.Add($"{tag.Key}={tag.Value}");
            }
        }

        return tags;
    }

    /// <summary>An HMAC-SHA256 signature as Binance requests carry it.</summary>
    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Signature();
}
