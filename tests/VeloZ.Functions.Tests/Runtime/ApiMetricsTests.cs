using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Functions.Orders;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Tests.Orders;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Runtime;

/// <summary>
/// The API's meter, read as a listener would: every order answered is timed with its outcome and type, every venue
/// request of the order path with its operation and outcome, and an order refused before the venue has no venue time.
/// </summary>
public sealed class ApiMetricsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orders_and_venue_requests_are_timed_by_outcome()
    {
        await using var backed = await VenueBackedApi.StartAsync(azurite, Ct);
        var meter = backed.Api.Services.GetRequiredService<ApiMetrics>().Meter;
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        listener.Start();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(backed, """{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":45000,"client_order_id":"m-1"}"""));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(backed, """{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","qty":0.01}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(backed, """{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":45000.005}"""));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(backed, """{"client_order_id":"m-1"}""", "/api/cancel"));
        var minuteOfLastRequest = DateTime.UtcNow.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);

        var orders = measurements.Where(m => m.Instrument == "veloz.api.order.duration").ToList();
        Assert.Equal(
            ["filter_violation LIMIT", "placed LIMIT", "placed MARKET"],
            orders.Select(m => $"{m.Tags["outcome"]} {m.Tags["order_type"]}").Order(StringComparer.Ordinal));
        Assert.All(orders, m => Assert.True(m.Value > 0));
        var venue = measurements.Where(m => m.Instrument == "veloz.api.venue.duration").ToList();
        Assert.Equal(
            ["cancel accepted", "order accepted", "order accepted"],
            venue.Select(m => $"{m.Tags["operation"]} {m.Tags["outcome"]}").Order(StringComparer.Ordinal));
        Assert.Equal(3, backed.Venue.Counters.OrdersReceived + backed.Venue.Counters.OrdersCanceled);

        // The gauges, read when collected: the venue's reported usage, the order-row writer's rows, no SSE subscriber.
        var observed = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)>();
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => observed.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => observed.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        listener.RecordObservableInstruments();
        var weight = Assert.Single(observed, m => m.Instrument == "veloz.api.venue.weight_used");
        Assert.Equal(backed.Venue.RestBaseUri.Host, weight.Tags["venue"]);
        // The weight is the current minute's: a minute that began since the last request has used none yet.
        Assert.True(weight.Value > 0 || DateTime.UtcNow.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture) != minuteOfLastRequest, "the venue reported its weight");
        Assert.True(observed.Single(m => m.Instrument == "veloz.api.storage.order_rows").Value >= 3);
        Assert.True(observed.Single(m => m.Instrument == "veloz.api.storage.order_row_requests").Value >= 1);
        Assert.Equal(0, observed.Single(m => m.Instrument == "veloz.api.stream.subscribers").Value);

        // /health shows the same usage (what the dashboard displays), whatever its status without a worker.
        using var health = await backed.Api.Client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        using var body = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct));
        var components = body.RootElement.GetProperty("components");
        Assert.True(components.GetProperty("venue_weight_used_1m").GetInt32() > 0 || DateTime.UtcNow.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture) != minuteOfLastRequest);
        // The count is the current 10 s window's: it may have begun after the two orders.
        Assert.InRange(components.GetProperty("venue_orders_10s").GetInt32(), 0, 2);
    }

    [Fact]
    public async Task Health_shows_no_venue_usage_before_the_first_venue_request()
    {
        await using var backed = await VenueBackedApi.StartAsync(azurite, Ct);

        using var health = await backed.Api.Client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        using var body = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct));

        Assert.False(body.RootElement.GetProperty("components").TryGetProperty("venue_weight_used_1m", out _));
        Assert.False(body.RootElement.GetProperty("components").TryGetProperty("venue_orders_10s", out _));
    }

    [Theory]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.Success, "accepted")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.Rejected, "rejected")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.Unauthorized, "rejected")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.Unknown, "unknown")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.RateLimited, "rate_limited")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.Banned, "rate_limited")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.NotSent, "not_sent")]
    [InlineData(VeloZ.Binance.Rest.BinanceOutcomeKind.Unreachable, "unavailable")]
    public void Each_venue_outcome_has_one_tag(VeloZ.Binance.Rest.BinanceOutcomeKind kind, string tag) =>
        Assert.Equal(tag, OrderService.VenueOutcome(kind));

    private static async Task<HttpStatusCode> PostAsync(VenueBackedApi backed, string body, string path = "/api/order")
    {
        using var response = await backed.Api.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        return response.StatusCode;
    }
}
