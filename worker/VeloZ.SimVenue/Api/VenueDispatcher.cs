using System.Text.Json.Nodes;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>The outcome of one request, for the transport to render.</summary>
internal sealed record VenueResult(
    JsonNode? Body,
    VenueRejection? Error,
    int UsedWeight,
    (int TenSeconds, int Day)? OrderCounts,
    OrderFaultKind? Fault);

/// <summary>
/// The request pipeline shared by REST and the WebSocket API: weight (429 -1003), counters, authentication,
/// trading permission, the ORDERS limit (429 -1015), the endpoint, then fault injection for placements that
/// were executed. Validation failures come back as <see cref="VenueResult.Error"/>, never as exceptions.
/// </summary>
internal sealed class VenueDispatcher(Authenticator authenticator, RateLimiter limiter, SimVenueCounters counters, SimVenueFaults faults)
{
    public VenueResult Execute(VenueOperation operation, VenueRequest request)
    {
        var upfront = operation.FreeOnSuccess ? 0 : operation.Weight(request);
        if (!limiter.TryConsumeWeight(request.ClientIp, upfront, out var used, out var retryAfter))
        {
            counters.RateLimited();
            return new VenueResult(null, VenueErrors.TooMuchWeight(limiter.WeightLimit, retryAfter), used, null, null);
        }

        switch (operation.Kind)
        {
            case OperationKind.PlaceOrder:
                counters.OrderReceived();
                break;
            case OperationKind.CancelOrder:
                counters.CancelReceived();
                break;
            case OperationKind.Other:
            default:
                break;
        }

        try
        {
            if (request.TransportRejection is { } refused)
            {
                throw refused;
            }

            if (operation.Signed)
            {
                var account = authenticator.Authenticate(request);
                if (operation.Kind != OperationKind.Other && !account.Key.CanTrade)
                {
                    throw VenueErrors.RejectedApiKey();
                }
            }

            if (operation.Kind == OperationKind.PlaceOrder
                && !limiter.HasOrderRoom(request.RequireAccount.Key.ApiKey, out var limit, out var interval, out var orderRetryAfter))
            {
                throw VenueErrors.TooManyOrders(limit, interval, orderRetryAfter);
            }

            var body = operation.Handle(request);
            (int, int)? orderCounts = null;
            OrderFaultKind? fault = null;
            if (operation.Kind == OperationKind.PlaceOrder)
            {
                orderCounts = limiter.CountOrder(request.RequireAccount.Key.ApiKey);
                fault = faults.TakeOrderFault();
                if (fault is not null)
                {
                    counters.FaultInjected();
                }
            }

            return new VenueResult(body, null, limiter.UsedWeight(request.ClientIp), orderCounts, fault);
        }
        catch (VenueRejection rejection)
        {
            if (operation.Kind == OperationKind.PlaceOrder)
            {
                counters.OrderRejected();
            }

            if (rejection.HttpStatus == 429)
            {
                counters.RateLimited();
            }

            var usedAfter = operation.FreeOnSuccess ? limiter.AddWeight(request.ClientIp, 1) : limiter.UsedWeight(request.ClientIp);
            return new VenueResult(null, rejection, usedAfter, null, null);
        }
    }

    /// <summary>The <c>rateLimits</c> array of WebSocket API responses (Binance's web-socket-api.md).</summary>
    public JsonArray RateLimits(VenueRequest request, bool withOrders)
    {
        var array = new JsonArray();
        if (withOrders && request.Account is { } account)
        {
            var (tenSeconds, day) = limiter.OrderCounts(account.Key.ApiKey);
            array.Add(JsonViews.RateLimit("ORDERS", "SECOND", 10, limiter.OrdersPer10Seconds, tenSeconds));
            array.Add(JsonViews.RateLimit("ORDERS", "DAY", 1, limiter.OrdersPerDay, day));
        }

        array.Add(JsonViews.RateLimit("REQUEST_WEIGHT", "MINUTE", 1, limiter.WeightLimit, limiter.UsedWeight(request.ClientIp)));
        return array;
    }

    /// <summary>Charges weight for WebSocket API work outside the operation table (connects, subscriptions).</summary>
    public VenueRejection? Charge(string clientIp, int weight)
    {
        if (limiter.TryConsumeWeight(clientIp, weight, out _, out var retryAfter))
        {
            return null;
        }

        counters.RateLimited();
        return VenueErrors.TooMuchWeight(limiter.WeightLimit, retryAfter);
    }
}
