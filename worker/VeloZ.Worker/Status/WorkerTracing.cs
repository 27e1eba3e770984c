using System.Diagnostics;
using VeloZ.Domain.Events;
using VeloZ.Hosting;

namespace VeloZ.Worker.Status;

/// <summary>
/// The worker's <see cref="ActivitySource"/>, <c>VeloZ.Worker</c>. Each span starts a trace of its own (the venue
/// does not carry the API's trace context), and names its order with <see cref="VelozTelemetry.ClientOrderId"/>,
/// the attribute the API's order spans carry: searching that one attribute finds an order's request, its venue
/// report and the events published about it.
/// <list type="bullet">
/// <item><c>veloz.user_stream.execution_report</c>: one execution report applied to its order's row.</item>
/// <item><c>veloz.events.publish</c>: one batch of numbered events handed to the push hub, with one span event
/// per order event. Batches of market events only are not traced: they arrive several times a second and say
/// nothing about an order.</item>
/// </list>
/// </summary>
internal static class WorkerTracing
{
    public const string SourceName = "VeloZ.Worker";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartExecutionReport(string clientOrderId, string status, string executionType)
    {
        var activity = Source.StartActivity("veloz.user_stream.execution_report");
        activity?.SetTag(VelozTelemetry.ClientOrderId, clientOrderId);
        activity?.SetTag("veloz.order_status", status);
        activity?.SetTag("veloz.execution_type", executionType);
        return activity;
    }

    /// <summary>The publish span of a batch that holds an order, fill, account or error event; null for market-only batches.</summary>
    public static Activity? StartPublish(IReadOnlyList<GatewayEvent> events)
    {
        if (!Source.HasListeners() || events.All(e => !e.IsDurable))
        {
            return null;
        }

        var activity = Source.StartActivity("veloz.events.publish");
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("veloz.event.count", events.Count);
        activity.SetTag("veloz.event.first_id", events[0].Id);
        var orders = events.Select(e => e.ClientOrderId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (orders.Length > 0)
        {
            activity.SetTag(VelozTelemetry.ClientOrderId, orders.Length == 1 ? orders[0] : string.Join(',', orders));
        }

        foreach (var e in events.Where(e => e.ClientOrderId is not null))
        {
            activity.AddEvent(new ActivityEvent("veloz.event", tags: new ActivityTagsCollection
            {
                [VelozTelemetry.ClientOrderId] = e.ClientOrderId,
                ["veloz.event.id"] = e.Id,
                ["veloz.event.type"] = e.Type,
            }));
        }

        return activity;
    }

    /// <summary>A failed publish is an error on its span (the events stay in the log; subscribers resume them).</summary>
    public static void PublishFailed(Activity? activity, Exception ex) => activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
}
