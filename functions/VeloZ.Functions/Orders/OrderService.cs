using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VeloZ.Binance.Filters;
using VeloZ.Binance.Orders;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Security;
using VeloZ.Domain.Time;
using VeloZ.Functions.Push;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Orders;

/// <summary>
/// The data flow of one order (architecture: "Data flow of one order"):
/// validate → check the symbol's exchange filters → insert the order row PENDING keyed by client order id
/// (an existing row means a duplicate: answer with it) → signed <c>POST /api/v3/order</c> with that id →
/// apply the venue's answer through the order state machine. The client is answered as soon as the order row
/// is durable and the venue's answer is in hand; storing that answer finishes behind the answer (reads of
/// the order in this process wait for it, and the worker hears of the order once it is stored; if this
/// process dies first, the row stays PENDING and the worker's reconciliation settles it from the venue).
/// A rejection makes the order REJECTED; a
/// timeout or 5xx leaves it PENDING and answers <c>status_unknown</c>: the worker's reconciliation asks the
/// venue, and nothing is ever re-sent blindly. The row carries a send-by deadline (<see cref="SendWindow"/>):
/// the order is never sent after it (also not on the resend after a clock resync); past it the order is
/// REJECTED unsent and the answer is 500 <c>execution_unavailable</c>. Cancels go the same way. In <c>cancel_only</c> trading mode a
/// valid order is refused (409 <c>cancel_only</c>) before anything is stored or sent. Every order, cancel and
/// venue error is an <c>[AUDIT]</c> line naming the caller's key id and IP.
/// </summary>
public sealed partial class OrderService(VenueAccess venues, OrderRepository orders, OrderNoteSender notes, TradingModeService tradingMode, AuditLog audit, ApiMetrics metrics, TimeProvider clock, ILogger<OrderService> logger)
{
    /// <summary>
    /// How long after its row is created a new order may still be sent (its send-by deadline, stored on the row;
    /// venue time). Past it the order is not sent at all and becomes REJECTED, so reconciliation, which waits for
    /// the deadline plus <c>recvWindow</c>, never declares an order not placed that the venue could still accept.
    /// It covers a queued row insert and the resend after a clock resync.
    /// </summary>
    public static readonly TimeSpan SendWindow = TimeSpan.FromSeconds(10);

    /// <summary>The reason of an order refused because its send-by deadline passed before it could be sent.</summary>
    internal const string NotSentReason = "not_sent: the send-by deadline passed before the order could be sent";

    /// <summary>How many cancels <see cref="CancelAllAsync"/> has in flight at once.</summary>
    private const int CancelAllParallelism = 4;

    internal async Task<OrderOutcome> PlaceAsync(OrderRequest request, ApiCaller caller, CancellationToken cancellationToken)
    {
        if ((await tradingMode.ReadRecentAsync(cancellationToken)).Mode == TradingMode.CancelOnly)
        {
            audit.OrderRefusedCancelOnly(caller, request.ClientOrderId, request.Symbol);
            return new OrderOutcome.Refused(OrderProblem.CancelOnly, "Trading is in cancel-only mode: new orders are refused, cancels still work.");
        }

        var (venue, unavailable) = await venues.GetAsync(cancellationToken);
        if (venue is null)
        {
            return unavailable!;
        }

        var rules = await venue.Rules.GetAsync(request.Symbol, cancellationToken);
        if (!rules.IsSuccess)
        {
            if (rules.Kind != BinanceOutcomeKind.Rejected)
            {
                audit.VenueError(caller, "exchange_info", request.ClientOrderId ?? "(none)", Kind(rules.Kind), rules.Message ?? "no message");
            }

            return NoRules(rules);
        }

        if (rules.Value!.Unsupported(request.Ticket) is { } unsupported)
        {
            return new OrderOutcome.Refused(OrderProblem.BadParams, unsupported.Message, Field: unsupported.Field);
        }

        if (rules.Value.Check(request.Ticket) is { } violation)
        {
            return new OrderOutcome.Refused(OrderProblem.FilterViolation, violation.Message, Filter: violation.Filter);
        }

        if (venue.Client.ServerClock.LastSync is null)
        {
            // The deadline is set on the venue's clock: learn it once per venue connection, or a local clock far
            // off the venue's would spend the whole send window on the resync of the first order. A failure
            // leaves the local clock, and the send's own -1021 resync still applies.
            await venue.Client.SyncClockAsync(cancellationToken);
        }

        var clientOrderId = request.ClientOrderId ?? ClientOrderIds.NewId();
        var now = clock.GetUtcNow();
        // The deadline is on the venue's clock (what the request's timestamp is taken from), so it bounds what the venue sees.
        var sendBy = now.AddMilliseconds(venue.Client.ServerClock.OffsetMs) + SendWindow;
        var order = OrderStateMachine.New(clientOrderId, request.Ticket, UnixTime.ToUnixNanos(now)) with { SendByTsNs = UnixTime.ToUnixNanos(sendBy) };
        ApiTracing.NameCurrentOrder(clientOrderId);
        RowVersion? inserted;
        using (ApiTracing.StartOrderInsert(clientOrderId))
        {
            inserted = await orders.InsertAsync(order, cancellationToken);
        }

        if (inserted is not { } etag)
        {
            return await AnswerDuplicateAsync(request, clientOrderId, cancellationToken);
        }

        var storingAnswer = false;
        try
        {
            (var result, storingAnswer) = await SendAsync(venue, request, rules.Value!, caller, clientOrderId, order, etag, sendBy, cancellationToken);
            return result;
        }
        finally
        {
            // The worker turns the row's changes into events; the note only makes it look at once.
            if (!storingAnswer)
            {
                notes.Post(clientOrderId);
            }
        }
    }

    /// <summary>
    /// The exchange rules VeloZ checks an order of <paramref name="symbol"/> against before sending it (the same
    /// cached exchangeInfo the order path uses), or why they cannot be had: no venue, or a symbol the venue does
    /// not list (<see cref="OrderProblem.VenueRejected"/> on the field <c>symbol</c>, as for an order).
    /// </summary>
    internal async Task<(SymbolRules? Rules, OrderOutcome.Refused? Refused)> RulesAsync(string symbol, CancellationToken cancellationToken)
    {
        var (venue, unavailable) = await venues.GetAsync(cancellationToken);
        if (venue is null)
        {
            return (null, unavailable);
        }

        var rules = await venue.Rules.GetAsync(symbol, cancellationToken);
        return rules.IsSuccess ? (rules.Value, null) : (null, NoRules(rules));
    }

    /// <summary>Why a symbol's rules could not be had: a symbol the venue does not list, or the venue's own trouble.</summary>
    private static OrderOutcome.Refused NoRules(BinanceResult<SymbolRules> rules) => rules.Kind == BinanceOutcomeKind.Rejected
        ? new OrderOutcome.Refused(OrderProblem.VenueRejected, rules.Message, Field: "symbol", VenueCode: rules.Code)
        : VenueProblem(rules.Kind, rules.RetryAfter, "exchange rules");

    /// <returns>The answer, and whether the venue's answer is still being stored (which then posts the note itself).</returns>
    private async Task<(OrderOutcome Result, bool StoringAnswer)> SendAsync(VenueAccess.Venue venue, OrderRequest request, SymbolRules rules, ApiCaller caller, string clientOrderId, OrderState order, RowVersion etag, DateTimeOffset sendBy, CancellationToken cancellationToken)
    {
        audit.OrderSent(caller, clientOrderId, request.Ticket);
        // Price and quantity go out at the symbol's tick and step scale (one formatting place: BinanceParameters).
        var started = clock.GetTimestamp();
        BinanceResult<BinanceOrder> result;
        using (var span = ApiTracing.StartVenue("order", clientOrderId))
        {
            result = await venue.Client.PlaceOrderAsync(request.Ticket, clientOrderId, rules, sendBy, cancellationToken);
            ApiTracing.VenueAnswered(span, VenueOutcome(result.Kind));
        }

        metrics.VenueAnswered("order", clock.GetElapsedTime(started), VenueOutcome(result.Kind));
        var now = clock.NowNanos();
        switch (result.Kind)
        {
            case BinanceOutcomeKind.Success:
                orders.WriteBehind(clientOrderId, StoreAnswerThenNoteAsync(clientOrderId, result.Value!, now, (order, etag)));
                return (new OrderOutcome.Placed(clientOrderId, result.Value!.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture)), true);

            case BinanceOutcomeKind.Unknown:
                audit.OrderStatusUnknown(caller, clientOrderId, result.Message ?? "unknown");
                return (new OrderOutcome.Refused(UnknownProblem(result.HttpStatus), "The venue's answer was lost; the order is kept as PENDING and reconciled with the venue. Do not resend: query /api/order_state."), false);

            default:
                // Rejected, unauthorized, rate limited, banned, unreachable: the venue did not take the order.
                // Not sent (past its send-by deadline): refused before the venue, like the others here.
                var reason = result.Kind == BinanceOutcomeKind.NotSent
                    ? NotSentReason
                    : result.Code is { } code ? $"{code}: {result.Message}" : $"{result.Kind.ToString().ToLowerInvariant()}: {result.Message}";
                await orders.ApplyAsync(clientOrderId, new OrderRejected(now, result.Code, reason), cancellationToken);
                if (result.Kind is BinanceOutcomeKind.Rejected or BinanceOutcomeKind.Unauthorized)
                {
                    audit.OrderRejected(caller, clientOrderId, reason);
                    return (new OrderOutcome.Refused(OrderProblem.VenueRejected, result.Message, VenueCode: result.Code), false);
                }

                audit.VenueError(caller, "order", clientOrderId, Kind(result.Kind), result.Message ?? "no message");
                return (VenueProblem(result.Kind, result.RetryAfter, "order"), false);
        }
    }

    internal async Task<OrderOutcome> CancelAsync(CancelRequest request, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (await orders.GetAsync(request.ClientOrderId, cancellationToken) is not { } stored)
        {
            return new OrderOutcome.Refused(OrderProblem.NotFound, "No order with this client_order_id.");
        }

        if (stored.State.IsFinal)
        {
            return new OrderOutcome.Refused(OrderProblem.NotOpen, $"The order is {stored.State.Status.ToWire()}.", Order: stored.State);
        }

        var (venue, unavailable) = await venues.GetAsync(cancellationToken);
        if (venue is null)
        {
            return unavailable!;
        }

        try
        {
            return await SendCancelAsync(venue, request, caller, stored.State, cancellationToken);
        }
        finally
        {
            notes.Post(request.ClientOrderId);
        }
    }

    private async Task<OrderOutcome> SendCancelAsync(VenueAccess.Venue venue, CancelRequest request, ApiCaller caller, OrderState stored, CancellationToken cancellationToken)
    {
        var symbol = request.Symbol ?? stored.Symbol;
        await orders.ApplyAsync(request.ClientOrderId, new CancelRequested(clock.NowNanos()), cancellationToken);
        audit.CancelSent(caller, request.ClientOrderId, symbol);
        var started = clock.GetTimestamp();
        BinanceResult<BinanceOrder> result;
        using (var span = ApiTracing.StartVenue("cancel", request.ClientOrderId))
        {
            result = await venue.Client.CancelOrderAsync(symbol, request.ClientOrderId, cancellationToken);
            ApiTracing.VenueAnswered(span, VenueOutcome(result.Kind));
        }

        metrics.VenueAnswered("cancel", clock.GetElapsedTime(started), VenueOutcome(result.Kind));
        var now = clock.NowNanos();
        switch (result.Kind)
        {
            case BinanceOutcomeKind.Success:
                await ApplyVenueOrderOrLeaveToReconciliationAsync(request.ClientOrderId, result.Value!, now, null, cancellationToken);
                return new OrderOutcome.Cancelled(request.ClientOrderId);

            case BinanceOutcomeKind.Unknown:
                audit.VenueError(caller, "cancel", request.ClientOrderId, Kind(result.Kind), result.Message ?? "unknown");
                return new OrderOutcome.Refused(UnknownProblem(result.HttpStatus), "The venue's answer to the cancel was lost; the order is reconciled with the venue. Query /api/order_state.");

            case BinanceOutcomeKind.Rejected when result.Code == BinanceErrorCodes.CancelRejected:
                // -2011 "Unknown order sent.": already final at the venue (or never placed); reconciliation settles the row.
                audit.CancelRejected(caller, request.ClientOrderId, $"{result.Code}: {result.Message}");
                var current = (await orders.GetAsync(request.ClientOrderId, cancellationToken))?.State ?? stored;
                return new OrderOutcome.Refused(OrderProblem.NotOpen, result.Message, VenueCode: result.Code, Order: current);

            case BinanceOutcomeKind.Rejected or BinanceOutcomeKind.Unauthorized:
                audit.CancelRejected(caller, request.ClientOrderId, $"{result.Code}: {result.Message}");
                return new OrderOutcome.Refused(OrderProblem.VenueRejected, result.Message, VenueCode: result.Code);

            default:
                audit.VenueError(caller, "cancel", request.ClientOrderId, Kind(result.Kind), result.Message ?? "no message");
                return VenueProblem(result.Kind, result.RetryAfter, "cancel");
        }
    }

    /// <summary>
    /// The brake's second half: a cancel for every open order (PENDING, ACCEPTED, PARTIALLY_FILLED; of one
    /// symbol when given), a few at a time, each exactly as <c>POST /api/cancel</c> would do it. An order that
    /// turns out to be final already is reported as no longer open, not as a failure.
    /// </summary>
    internal async Task<CancelAllOutcome> CancelAllAsync(string? symbol, ApiCaller caller, CancellationToken cancellationToken)
    {
        var open = new List<OrderState>();
        await foreach (var order in orders.ListOpenAsync(cancellationToken))
        {
            if (symbol is null || order.Symbol == symbol)
            {
                open.Add(order);
            }
        }

        audit.CancelAll(caller, open.Count, symbol ?? "all symbols");
        var cancelled = new System.Collections.Concurrent.ConcurrentBag<string>();
        var notOpen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<(string ClientOrderId, OrderProblem Problem)>();
        await Parallel.ForEachAsync(
            open,
            new ParallelOptions { MaxDegreeOfParallelism = CancelAllParallelism, CancellationToken = cancellationToken },
            async (order, token) =>
            {
                OrderOutcome outcome;
                try
                {
                    outcome = await CancelAsync(new CancelRequest(order.ClientOrderId, null), caller, token);
                }
                catch (StorageUnavailableException)
                {
                    outcome = new OrderOutcome.Refused(OrderProblem.StorageUnavailable, null);
                }

                switch (outcome)
                {
                    case OrderOutcome.Cancelled:
                        cancelled.Add(order.ClientOrderId);
                        break;
                    case OrderOutcome.Refused { Problem: OrderProblem.NotOpen or OrderProblem.NotFound }:
                        notOpen.Add(order.ClientOrderId);
                        break;
                    case OrderOutcome.Refused refused:
                        failed.Add((order.ClientOrderId, refused.Problem));
                        break;
                    default:
                        throw new UnreachableException($"A cancel cannot end in {outcome.GetType().Name}.");
                }
            });

        audit.CancelAllDone(caller, cancelled.Count, notOpen.Count, failed.Count);
        return new CancelAllOutcome(
            open.Count,
            [.. cancelled.Order(StringComparer.Ordinal)],
            [.. notOpen.Order(StringComparer.Ordinal)],
            [.. failed.OrderBy(f => f.ClientOrderId, StringComparer.Ordinal)]);
    }

    /// <summary>Stores the venue's answer to a new order behind the client's answer, then tells the worker.</summary>
    private async Task StoreAnswerThenNoteAsync(string clientOrderId, BinanceOrder answer, long now, (OrderState State, RowVersion ETag) known)
    {
        // Off the request: the client may be gone already, the answer must be stored all the same.
        await Task.Yield();
        try
        {
            await ApplyVenueOrderOrLeaveToReconciliationAsync(clientOrderId, answer, now, known, CancellationToken.None, unhurried: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nobody awaits this write: whatever went wrong is logged, and reconciliation settles the row.
            LogStoreAfterVenueFailed(logger, clientOrderId, ex.GetType().Name);
        }
        finally
        {
            notes.Post(clientOrderId);
        }
    }

    /// <summary>
    /// The venue has done it: that is the answer the client gets, even if storing the venue's answer
    /// fails now. The row then stays as it was (PENDING, or open for a cancel) and the worker's
    /// reconciliation brings it to the venue's state; the client never sees a failure for an order that exists.
    /// </summary>
    private async Task ApplyVenueOrderOrLeaveToReconciliationAsync(string clientOrderId, BinanceOrder answer, long now, (OrderState State, RowVersion ETag)? known, CancellationToken cancellationToken, bool unhurried = false)
    {
        try
        {
            await orders.ApplyAllAsync(clientOrderId, VenueOrderReports.FromOrderAnswer(answer, now), known, cancellationToken, unhurried);
        }
        catch (StorageUnavailableException ex)
        {
            LogStoreAfterVenueFailed(logger, clientOrderId, ex.Message);
        }
    }

    private async Task<OrderOutcome> AnswerDuplicateAsync(OrderRequest request, string clientOrderId, CancellationToken cancellationToken)
    {
        var existing = (await orders.GetAsync(clientOrderId, cancellationToken))?.State;
        if (existing is not null && existing.Status != OrderStatus.Pending && existing.Status != OrderStatus.Rejected
            && existing.Ticket == request.Ticket)
        {
            // The same order again (a retry of a request whose answer the client lost): answer with it.
            return new OrderOutcome.Placed(clientOrderId, existing.VenueOrderId);
        }

        return new OrderOutcome.Refused(OrderProblem.Duplicate, "An order with this client_order_id already exists.", Order: existing);
    }

    private static string Kind(BinanceOutcomeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The <c>outcome</c> tag of <c>veloz.api.venue.duration</c>.</summary>
    internal static string VenueOutcome(BinanceOutcomeKind kind) => kind switch
    {
        BinanceOutcomeKind.Success => "accepted",
        BinanceOutcomeKind.Rejected or BinanceOutcomeKind.Unauthorized => "rejected",
        BinanceOutcomeKind.Unknown => "unknown",
        BinanceOutcomeKind.RateLimited or BinanceOutcomeKind.Banned => "rate_limited",
        BinanceOutcomeKind.NotSent => "not_sent",
        _ => "unavailable",
    };

    /// <summary>A venue answer that does not say whether it acted: a server error (5xx) or a lost answer.</summary>
    private static OrderProblem UnknownProblem(int httpStatus) => httpStatus >= 500 ? OrderProblem.StatusUnknownVenueFault : OrderProblem.StatusUnknown;

    private static OrderOutcome.Refused VenueProblem(BinanceOutcomeKind kind, TimeSpan? retryAfter, string what) => kind switch
    {
        BinanceOutcomeKind.RateLimited or BinanceOutcomeKind.Banned => new(
            OrderProblem.RateLimited,
            kind == BinanceOutcomeKind.Banned ? "The venue banned this IP; trading is halted until the ban ends." : "The venue's rate limit is reached; retry after the indicated time.",
            RetryAfter: retryAfter ?? TimeSpan.FromSeconds(1)),
        BinanceOutcomeKind.Unknown => new(OrderProblem.StatusUnknown, $"The venue's answer to the {what} request was lost."),
        BinanceOutcomeKind.NotSent => new(OrderProblem.ExecutionUnavailable, $"The {what} could not be sent before its send-by deadline and was not sent; it is REJECTED."),
        _ => new(OrderProblem.ExecutionUnavailable, $"The venue could not be reached for the {what} request."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {ClientOrderId}: the venue's answer could not be stored ({Reason}); reconciliation will settle the row")]
    private static partial void LogStoreAfterVenueFailed(ILogger logger, string clientOrderId, string reason);

}
