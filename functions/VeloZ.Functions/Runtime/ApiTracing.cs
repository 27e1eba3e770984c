using System.Diagnostics;
using VeloZ.Hosting;

namespace VeloZ.Functions.Runtime;

/// <summary>
/// The API's <see cref="ActivitySource"/>, <c>VeloZ.Api</c>: one span per order placed or cancelled, under the
/// request's span, with a child for the order row's first write and one for the venue request (whose own HTTP
/// span sits under it). Every span names the order with <see cref="VelozTelemetry.ClientOrderId"/>, the attribute
/// the worker's report and publish spans carry too. Without a listener, starting a span costs a null check.
/// </summary>
internal static class ApiTracing
{
    public const string SourceName = "VeloZ.Api";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary><c>veloz.order.place</c> or <c>veloz.order.cancel</c>: the whole order path of one request.</summary>
    public static Activity? StartOrder(string operation, string? clientOrderId, string? symbol)
    {
        var activity = Source.StartActivity("veloz.order." + operation);
        if (symbol is not null)
        {
            activity?.SetTag("veloz.symbol", symbol);
        }

        Name(activity, clientOrderId);
        return activity;
    }

    /// <summary><c>veloz.storage.order_insert</c>: the new order's row, written before anything is sent.</summary>
    public static Activity? StartOrderInsert(string clientOrderId) => Name(Source.StartActivity("veloz.storage.order_insert"), clientOrderId);

    /// <summary><c>veloz.venue.order</c> or <c>veloz.venue.cancel</c>: one venue request of the order path.</summary>
    public static Activity? StartVenue(string operation, string clientOrderId) => Name(Source.StartActivity("veloz.venue." + operation), clientOrderId);

    /// <summary>
    /// Names the order span in progress once VeloZ has generated the order's id. Only VeloZ's own span is tagged: without a
    /// listener on this source <see cref="Activity.Current"/> is the request's activity (or none), which is left alone.
    /// </summary>
    public static void NameCurrentOrder(string clientOrderId)
    {
        if (Activity.Current is { } current && ReferenceEquals(current.Source, Source))
        {
            Name(current, clientOrderId);
        }
    }

    /// <summary>Tags the span with the order it is about (once its id is known).</summary>
    public static Activity? Name(Activity? activity, string? clientOrderId)
    {
        if (clientOrderId is not null)
        {
            activity?.SetTag(VelozTelemetry.ClientOrderId, clientOrderId);
        }

        return activity;
    }

    /// <summary>The venue's answer on its span: <c>veloz.venue.outcome</c>; an unknown or failed request is an error.</summary>
    public static void VenueAnswered(Activity? activity, string outcome)
    {
        activity?.SetTag("veloz.venue.outcome", outcome);
        if (outcome is not ("accepted" or "rejected"))
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    /// <summary>
    /// The order request's outcome on its span: <c>veloz.outcome</c> (<c>placed</c>, <c>cancelled</c> or the contract's
    /// error code), and the order it is about when the request named none (an id VeloZ generated).
    /// </summary>
    public static void Answered(Activity? activity, string code, string? clientOrderId)
    {
        activity?.SetTag("veloz.outcome", code);
        Name(activity, clientOrderId);
    }
}
