using VeloZ.Binance.Rest;
using VeloZ.Functions.Push;
using VeloZ.Functions.Runtime;
using VeloZ.Storage;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// The API meter's instruments that are read when a listener collects, not recorded as they happen: SSE subscribers
/// on this instance, each venue's rate-limit usage as the venue last reported it (<c>X-MBX-USED-WEIGHT-1M</c>,
/// <c>X-MBX-ORDER-COUNT-10S</c>), and the order-row writer's storage requests and rows (their ratio is the rows per
/// request of the group commit). Created once when the host starts.
/// </summary>
internal sealed class ApiMeterGauges
{
    public ApiMeterGauges(ApiMetrics metrics, EventBroadcaster broadcaster, BinanceClientPool venues, OrderRepository orders)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("veloz.api.stream.subscribers", () => broadcaster.SubscriberCount, "{subscriber}", "SSE subscribers on this API instance.");
        meter.CreateObservableGauge("veloz.api.venue.weight_used", () => PerVenue(venues, g => g.UsedWeight), "{weight}", "Request weight used in the current minute, as the venue last reported it.");
        meter.CreateObservableGauge("veloz.api.venue.orders_10s", () => PerVenue(venues, g => g.OrderCount10S), "{order}", "New orders counted in the current 10 s, as the venue last reported it.");
        meter.CreateObservableCounter("veloz.api.storage.order_row_requests", () => orders.WriteCounters.Requests, "{request}", "Storage requests of the order-row writer.");
        meter.CreateObservableCounter("veloz.api.storage.order_rows", () => orders.WriteCounters.Rows, "{row}", "Order rows written by the order-row writer.");
    }

    private static IEnumerable<System.Diagnostics.Metrics.Measurement<int>> PerVenue(BinanceClientPool venues, Func<BinanceRateGate, int> read) =>
        venues.Venues.Select(v => new System.Diagnostics.Metrics.Measurement<int>(read(v.Gate), new KeyValuePair<string, object?>("venue", v.BaseUrl.Host)));
}
