using System.Diagnostics.Metrics;

namespace VeloZ.Functions.Runtime;

/// <summary>
/// The API's one <see cref="Meter"/>, <c>VeloZ.Api</c> (names and units in docs/operations.md). Any OpenTelemetry or
/// <c>dotnet-counters</c> listener reads it; without a listener recording costs next to nothing.
/// <list type="bullet">
/// <item><c>veloz.api.order.duration</c> (ms): one <c>POST /api/order</c> from validated body to answer, tagged
/// <c>outcome</c> (<c>placed</c>, or the contract's error code) and <c>order_type</c>.</item>
/// <item><c>veloz.api.venue.duration</c> (ms): one venue request of the order path, tagged <c>operation</c>
/// (<c>order</c>, <c>cancel</c>) and <c>outcome</c> (<c>accepted</c>, <c>rejected</c>, <c>unknown</c>,
/// <c>rate_limited</c>, <c>unavailable</c>, <c>not_sent</c>).</item>
/// <item><c>veloz.api.stream.replayed</c>: events replayed from the event log to resuming SSE subscribers.</item>
/// <item>Read when collected (<c>Hosting.ApiMeterGauges</c>): <c>veloz.api.stream.subscribers</c>,
/// <c>veloz.api.venue.weight_used</c> and <c>veloz.api.venue.orders_10s</c> per venue, and the order-row writer's
/// <c>veloz.api.storage.order_row_requests</c> and <c>veloz.api.storage.order_rows</c>.</item>
/// </list>
/// </summary>
public sealed class ApiMetrics
{
    /// <summary>The meter's name, for listeners and <c>dotnet-counters --counters</c>.</summary>
    public const string MeterName = "VeloZ.Api";

    private readonly Histogram<double> _orderDuration;
    private readonly Histogram<double> _venueDuration;
    private readonly Counter<long> _replayed;

    public ApiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _orderDuration = Meter.CreateHistogram<double>("veloz.api.order.duration", "ms", "POST /api/order from validated body to answer, by outcome and order type.");
        _venueDuration = Meter.CreateHistogram<double>("veloz.api.venue.duration", "ms", "Venue requests of the order path, by operation and outcome.");
        _replayed = Meter.CreateCounter<long>("veloz.api.stream.replayed", "{event}", "Events replayed from the event log to resuming SSE subscribers.");
    }

    /// <summary>This instance's meter (each API host has its own, from its <see cref="IMeterFactory"/>).</summary>
    public Meter Meter { get; }

    /// <summary>Records one order request's duration and outcome.</summary>
    public void OrderAnswered(TimeSpan duration, string outcome, string orderType) =>
        _orderDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("order_type", orderType));

    /// <summary>Counts events replayed to an SSE subscriber that resumed with <c>Last-Event-ID</c>.</summary>
    public void Replayed(int count) => _replayed.Add(count);

    /// <summary>Records one venue request's duration and outcome.</summary>
    public void VenueAnswered(string operation, TimeSpan duration, string outcome) =>
        _venueDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
}
