using VeloZ.Domain.Orders;

namespace VeloZ.Functions.Orders;

/// <summary>
/// What the order logic decided for one request, in its own terms: placed, cancelled, or refused for a
/// named <see cref="OrderProblem"/>. It knows nothing of HTTP; the endpoints turn it into the contract's
/// answer in one place (<c>VeloZ.Functions.Endpoints.OrderAnswers</c>). The set is closed: only the nested
/// records derive from it.
/// </summary>
public abstract record OrderOutcome
{
    private OrderOutcome()
    {
    }

    /// <summary>The venue took the order; <paramref name="VenueOrderId"/> is its id there (null if not known yet).</summary>
    public sealed record Placed(string ClientOrderId, string? VenueOrderId) : OrderOutcome;

    /// <summary>The venue cancelled the order.</summary>
    public sealed record Cancelled(string ClientOrderId) : OrderOutcome;

    /// <summary>
    /// Nothing was done, or what was done has an outcome still to be learnt (<see cref="OrderProblem.StatusUnknown"/>).
    /// </summary>
    /// <param name="Problem">Why.</param>
    /// <param name="Message">The explanation the caller reads.</param>
    /// <param name="Field">The request field at fault, when one is.</param>
    /// <param name="VenueCode">The venue's error code, when the venue refused.</param>
    /// <param name="Filter">The exchange filter violated, for <see cref="OrderProblem.FilterViolation"/>.</param>
    /// <param name="Order">The order as stored, when it explains the refusal (duplicate, not open).</param>
    /// <param name="RetryAfter">When trying again can help (rate limits).</param>
    public sealed record Refused(
        OrderProblem Problem,
        string? Message,
        string? Field = null,
        int? VenueCode = null,
        string? Filter = null,
        OrderState? Order = null,
        TimeSpan? RetryAfter = null) : OrderOutcome;
}

/// <summary>Why an order request was refused, or why its outcome is not known yet.</summary>
public enum OrderProblem
{
    /// <summary>Trading is in cancel-only mode: new orders are refused.</summary>
    CancelOnly,

    /// <summary>No order with this client order id.</summary>
    NotFound,

    /// <summary>The order is final already (or the venue no longer has it open).</summary>
    NotOpen,

    /// <summary>Another order already has this client order id.</summary>
    Duplicate,

    /// <summary>The request asks for something the symbol does not offer (an order type, a self-trade prevention mode); nothing was sent.</summary>
    BadParams,

    /// <summary>The order breaks one of the symbol's exchange filters; nothing was sent.</summary>
    FilterViolation,

    /// <summary>The venue refused the request (or the symbol).</summary>
    VenueRejected,

    /// <summary>The venue's answer was lost (timeout, dropped connection): reconciliation settles the order.</summary>
    StatusUnknown,

    /// <summary>The venue answered with a server error, which does not say whether it acted: reconciliation settles the order.</summary>
    StatusUnknownVenueFault,

    /// <summary>The venue's rate limit is reached or it banned this address.</summary>
    RateLimited,

    /// <summary>No venue to trade on, trading halted, or the request could not be sent.</summary>
    ExecutionUnavailable,

    /// <summary>A Binance execution mode without the key and secret.</summary>
    BinanceNotConfigured,

    /// <summary>Table storage could not be reached.</summary>
    StorageUnavailable,
}

/// <summary>What <c>POST /api/admin/cancel_all</c> did: how many orders were open, and what became of each.</summary>
public sealed record CancelAllOutcome(
    int Requested,
    IReadOnlyList<string> Cancelled,
    IReadOnlyList<string> NotOpen,
    IReadOnlyList<(string ClientOrderId, OrderProblem Problem)> Failed);
