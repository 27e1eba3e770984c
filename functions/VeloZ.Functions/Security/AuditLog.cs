using Microsoft.Extensions.Logging;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Security;

namespace VeloZ.Functions.Security;

/// <summary>
/// The API's audit trail: one structured <c>[AUDIT] &lt;event&gt;</c> line per security-relevant act, in
/// the style of the worker's audit lines, each saying who (the key id, never the key; <c>anonymous</c>
/// without authentication) and from where (the client IP). Every value in these lines is either chosen by
/// VeloZ or validated to a safe alphabet before it gets here (client order ids, symbols, key names,
/// function routes), so a line cannot be forged or broken by request data.
/// </summary>
public sealed partial class AuditLog(ILogger<AuditLog> logger)
{
    public void AuthFailure(string reason, string method, string route, string remoteIp) =>
        LogAuthFailure(logger, reason, method, route, remoteIp);

    public void AuthForbidden(ApiCaller caller, string required, string method, string route) =>
        LogAuthForbidden(logger, caller.KeyId, caller.Scope is { } scope ? scope.ToWire() : "none", required, method, route, caller.RemoteIp);

    public void AuthLockedOut(string method, string route, string remoteIp) =>
        LogAuthLockedOut(logger, method, route, remoteIp);

    /// <summary>A request refused by the <see cref="BrowserRequestGuard"/> (authentication off); the host and origin are not quoted (request data).</summary>
    public void BrowserRefused(string reason, string remoteIp) =>
        LogBrowserRefused(logger, reason, remoteIp);

    /// <summary>
    /// An order about to be sent. A LIMIT GTC order keeps the seed's line (<c>{Qty} @ {Price}</c>); any other order
    /// says its type and terms (<c>MARKET quote_qty 100</c>, <c>LIMIT IOC qty 0.001 @ 40000</c>) under the same event.
    /// </summary>
    public void OrderSent(ApiCaller caller, string clientOrderId, OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket is { Type: OrderType.Limit, TimeInForce: TimeInForce.Gtc, SelfTradePrevention: null, Qty: { } qty, Price: { } price })
        {
            LogOrderSent(logger, clientOrderId, ticket.Symbol, ticket.Side.ToWire(), qty, price, caller.KeyId, caller.RemoteIp);
            return;
        }

        var terms = new System.Text.StringBuilder(ticket.Type.ToWire());
        if (ticket.TimeInForce is { } timeInForce)
        {
            terms.Append(' ').Append(timeInForce.ToWire());
        }

        terms.Append(ticket.Qty is { } q ? FormattableString.Invariant($" qty {q}") : FormattableString.Invariant($" quote_qty {ticket.QuoteQty}"));
        if (ticket.Price is { } p)
        {
            terms.Append(FormattableString.Invariant($" @ {p}"));
        }

        if (ticket.SelfTradePrevention is { } stp)
        {
            terms.Append(" stp ").Append(stp.ToWire());
        }

        LogOrderOfTypeSent(logger, clientOrderId, ticket.Symbol, ticket.Side.ToWire(), terms.ToString(), caller.KeyId, caller.RemoteIp);
    }

    public void OrderRejected(ApiCaller caller, string clientOrderId, string reason) =>
        LogOrderRejected(logger, clientOrderId, reason, caller.KeyId, caller.RemoteIp);

    public void OrderStatusUnknown(ApiCaller caller, string clientOrderId, string reason) =>
        LogOrderStatusUnknown(logger, clientOrderId, reason, caller.KeyId, caller.RemoteIp);

    public void OrderRefusedCancelOnly(ApiCaller caller, string? clientOrderId, string symbol) =>
        LogOrderRefusedCancelOnly(logger, clientOrderId ?? "(none)", symbol, caller.KeyId, caller.RemoteIp);

    public void CancelSent(ApiCaller caller, string clientOrderId, string symbol) =>
        LogCancelSent(logger, clientOrderId, symbol, caller.KeyId, caller.RemoteIp);

    public void CancelRejected(ApiCaller caller, string clientOrderId, string reason) =>
        LogCancelRejected(logger, clientOrderId, reason, caller.KeyId, caller.RemoteIp);

    public void VenueError(ApiCaller caller, string operation, string clientOrderId, string kind, string reason) =>
        LogVenueError(logger, operation, clientOrderId, kind, reason, caller.KeyId, caller.RemoteIp);

    public void CancelAll(ApiCaller caller, int open, string symbol) =>
        LogCancelAll(logger, open, symbol, caller.KeyId, caller.RemoteIp);

    public void CancelAllDone(ApiCaller caller, int cancelled, int notOpen, int failed) =>
        LogCancelAllDone(logger, cancelled, notOpen, failed, caller.KeyId, caller.RemoteIp);

    public void KeyCreated(ApiCaller caller, string keyId, string name, string scope) =>
        LogKeyCreated(logger, keyId, name, scope, caller.KeyId, caller.RemoteIp);

    public void KeyRevoked(ApiCaller caller, string keyId) =>
        LogKeyRevoked(logger, keyId, caller.KeyId, caller.RemoteIp);

    public void TradingModeChanged(ApiCaller caller, string from, string to) =>
        LogTradingModeChanged(logger, from, to, caller.KeyId, caller.RemoteIp);

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "[AUDIT] auth_failure: {Reason} for {Method} {Route} from {RemoteIp}")]
    private static partial void LogAuthFailure(ILogger logger, string reason, string method, string route, string remoteIp);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "[AUDIT] auth_forbidden: key {KeyId} (scope {Scope}) needs {Required} for {Method} {Route} from {RemoteIp}")]
    private static partial void LogAuthForbidden(ILogger logger, string keyId, string scope, string required, string method, string route, string remoteIp);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "[AUDIT] auth_locked_out: too many failed authentications; {Method} {Route} refused from {RemoteIp}")]
    private static partial void LogAuthLockedOut(ILogger logger, string method, string route, string remoteIp);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "[AUDIT] browser_refused: {Reason} from {RemoteIp}")]
    private static partial void LogBrowserRefused(ILogger logger, string reason, string remoteIp);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "[AUDIT] order_sent {ClientOrderId} {Symbol} {Side} {Qty} @ {Price} by {KeyId} from {RemoteIp}")]
    private static partial void LogOrderSent(ILogger logger, string clientOrderId, string symbol, string side, decimal qty, decimal price, string keyId, string remoteIp);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "[AUDIT] order_sent {ClientOrderId} {Symbol} {Side} {Terms} by {KeyId} from {RemoteIp}")]
    private static partial void LogOrderOfTypeSent(ILogger logger, string clientOrderId, string symbol, string side, string terms, string keyId, string remoteIp);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "[AUDIT] order_rejected {ClientOrderId}: {Reason} by {KeyId} from {RemoteIp}")]
    private static partial void LogOrderRejected(ILogger logger, string clientOrderId, string reason, string keyId, string remoteIp);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "[AUDIT] order_status_unknown {ClientOrderId}: {Reason}; kept PENDING for reconciliation; by {KeyId} from {RemoteIp}")]
    private static partial void LogOrderStatusUnknown(ILogger logger, string clientOrderId, string reason, string keyId, string remoteIp);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "[AUDIT] order_refused_cancel_only {ClientOrderId} {Symbol} by {KeyId} from {RemoteIp}")]
    private static partial void LogOrderRefusedCancelOnly(ILogger logger, string clientOrderId, string symbol, string keyId, string remoteIp);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "[AUDIT] cancel_sent {ClientOrderId} {Symbol} by {KeyId} from {RemoteIp}")]
    private static partial void LogCancelSent(ILogger logger, string clientOrderId, string symbol, string keyId, string remoteIp);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "[AUDIT] cancel_rejected {ClientOrderId}: {Reason} by {KeyId} from {RemoteIp}")]
    private static partial void LogCancelRejected(ILogger logger, string clientOrderId, string reason, string keyId, string remoteIp);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "[AUDIT] cancel_all: {Open} open order(s) of {Symbol} by {KeyId} from {RemoteIp}")]
    private static partial void LogCancelAll(ILogger logger, int open, string symbol, string keyId, string remoteIp);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "[AUDIT] cancel_all_done: {Cancelled} cancelled, {NotOpen} no longer open, {Failed} failed; by {KeyId} from {RemoteIp}")]
    private static partial void LogCancelAllDone(ILogger logger, int cancelled, int notOpen, int failed, string keyId, string remoteIp);

    [LoggerMessage(EventId = 130, Level = LogLevel.Error, Message = "[AUDIT] venue_error: {Operation} {ClientOrderId} {Kind}: {Reason}; by {KeyId} from {RemoteIp}")]
    private static partial void LogVenueError(ILogger logger, string operation, string clientOrderId, string kind, string reason, string keyId, string remoteIp);

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "[AUDIT] api_key_created {NewKeyId} '{Name}' scope {Scope} by {KeyId} from {RemoteIp}")]
    private static partial void LogKeyCreated(ILogger logger, string newKeyId, string name, string scope, string keyId, string remoteIp);

    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "[AUDIT] api_key_revoked {RevokedKeyId} by {KeyId} from {RemoteIp}")]
    private static partial void LogKeyRevoked(ILogger logger, string revokedKeyId, string keyId, string remoteIp);

    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "[AUDIT] trading_mode_changed {From} -> {To} by {KeyId} from {RemoteIp}")]
    private static partial void LogTradingModeChanged(ILogger logger, string from, string to, string keyId, string remoteIp);
}
