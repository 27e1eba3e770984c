using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using VeloZ.Binance.Signing;

using VeloZ.Domain.Orders;

namespace VeloZ.Binance.Rest;

/// <summary>
/// Binance Spot REST, the way a client that runs for weeks must use it:
/// <list type="bullet">
/// <item>signed requests carry the venue's time (<see cref="BinanceServerClock"/>) and <c>recvWindow</c>;
/// a <c>-1021</c> answer resyncs the clock at once and the request is retried once with a fresh timestamp
/// (a -1021 request was refused before the engine, so the retry cannot double an order);</item>
/// <item>every request passes the <see cref="BinanceRateGate"/>: nothing is sent during a 418 ban, nothing but cancels
/// during a weight 429 back-off, and no new order past the ORDERS limits (cancels always get through those);</item>
/// <item>outcomes are values (<see cref="BinanceResult{T}"/>), classified by one table (<see cref="BinanceErrorCodes"/>);</item>
/// <item>nothing else is retried: an order whose outcome is unknown is reconciled by asking the venue, never re-sent.</item>
/// </list>
/// Neither the key nor the secret ever appears in a log line or a result.
/// </summary>
public sealed partial class BinanceRestClient
{
    private readonly HttpClient _http;
    private readonly BinanceClientOptions _options;
    private readonly BinanceSigner _signer;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public BinanceRestClient(HttpClient http, BinanceClientOptions options, BinanceServerClock serverClock, BinanceRateGate rateGate, TimeProvider clock, ILogger<BinanceRestClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _signer = new BinanceSigner(options.ApiSecret);
        ServerClock = serverClock;
        RateGate = rateGate;
        _clock = clock;
        _logger = logger;
    }

    public BinanceServerClock ServerClock { get; }

    public BinanceRateGate RateGate { get; }

    public BinanceClientOptions Options => _options;

    /// <summary>Samples the venue's clock (<c>GET /api/v3/time</c>, weight 1).</summary>
    public async Task<BinanceResult<BinanceServerTime>> SyncClockAsync(CancellationToken cancellationToken)
    {
        var sentAt = _clock.GetUtcNow();
        var result = await SendOnceAsync(HttpMethod.Get, "/api/v3/time", new BinanceParameters(), BinanceSecurity.None, 1, BinanceRequestKind.Other, BinanceJsonContext.Default.BinanceServerTime, sendBy: null, cancellationToken);
        if (result.IsSuccess)
        {
            ServerClock.Record(result.Value!.ServerTime, sentAt, _clock.GetUtcNow());
        }

        return result;
    }

    public Task<BinanceResult<BinanceEmpty>> PingAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/ping", new BinanceParameters(), BinanceSecurity.None, 1, BinanceJsonContext.Default.BinanceEmpty, cancellationToken);

    public Task<BinanceResult<BinanceExchangeInfo>> GetExchangeInfoAsync(string symbol, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/exchangeInfo", new BinanceParameters().Add("symbol", symbol), BinanceSecurity.None, 20, BinanceJsonContext.Default.BinanceExchangeInfo, cancellationToken);

    public Task<BinanceResult<BinanceTickerPrice>> GetTickerPriceAsync(string symbol, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/ticker/price", new BinanceParameters().Add("symbol", symbol), BinanceSecurity.None, 2, BinanceJsonContext.Default.BinanceTickerPrice, cancellationToken);

    public Task<BinanceResult<BinanceBookTicker>> GetBookTickerAsync(string symbol, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/ticker/bookTicker", new BinanceParameters().Add("symbol", symbol), BinanceSecurity.None, 2, BinanceJsonContext.Default.BinanceBookTicker, cancellationToken);

    /// <summary>Places a LIMIT GTC order with our client order id. Never retried on an unknown outcome.</summary>
    public Task<BinanceResult<BinanceOrder>> PlaceLimitOrderAsync(string symbol, string side, decimal quantity, decimal price, string clientOrderId, CancellationToken cancellationToken) =>
        PlaceLimitOrderAsync(symbol, side, quantity, price, clientOrderId, rules: null, sendBy: null, cancellationToken);

    /// <summary>Places a LIMIT GTC order; see <see cref="PlaceOrderAsync"/>.</summary>
    public Task<BinanceResult<BinanceOrder>> PlaceLimitOrderAsync(string symbol, string side, decimal quantity, decimal price, string clientOrderId, Filters.SymbolRules? rules, DateTimeOffset? sendBy, CancellationToken cancellationToken) =>
        PlaceOrderAsync(OrderTicket.Limit(symbol, ParseSide(side), quantity, price), clientOrderId, rules, sendBy, cancellationToken);

    /// <summary>
    /// Places an order of any type VeloZ offers (<see cref="OrderTicket"/>: LIMIT with its time in force, LIMIT_MAKER,
    /// MARKET by quantity or by <c>quoteOrderQty</c>; the self-trade prevention mode when one was chosen) with our
    /// client order id, asking for the FULL answer (Binance's default for LIMIT and MARKET, given for LIMIT_MAKER too,
    /// so every answer carries status and fills). Price and quantity are written at the scale of the symbol's tick
    /// and step sizes (<paramref name="rules"/>; null = without trailing zeros), but only with a <c>timestamp</c>
    /// (venue time) no later than <paramref name="sendBy"/>: each attempt (the first, and the resend after a
    /// <c>-1021</c> clock resync) checks it right before it is signed, and past it the order is not sent at all
    /// (<see cref="BinanceOutcomeKind.NotSent"/>). The venue refuses a request more than <c>recvWindow</c> older
    /// than its clock, so once the venue's clock has passed <paramref name="sendBy"/> plus <c>recvWindow</c> this
    /// order can no longer be placed. Never retried on an unknown outcome.
    /// </summary>
    /// <exception cref="ArgumentException">The ticket is not one of the shapes an order can have.</exception>
    public Task<BinanceResult<BinanceOrder>> PlaceOrderAsync(OrderTicket ticket, string clientOrderId, Filters.SymbolRules? rules, DateTimeOffset? sendBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Problem() is { } problem)
        {
            throw new ArgumentException($"Not an order: {problem}.", nameof(ticket));
        }

        // Parameter order as Binance's own examples: symbol, side, type, timeInForce, quantity, price.
        var parameters = new BinanceParameters()
            .Add("symbol", ticket.Symbol)
            .Add("side", ticket.Side.ToWire())
            .Add("type", ticket.Type.ToWire());
        if (ticket.TimeInForce is { } timeInForce)
        {
            parameters.Add("timeInForce", timeInForce.ToWire());
        }

        if (ticket.Qty is { } quantity)
        {
            parameters.Add("quantity", quantity, rules?.LotSize?.StepSize ?? 0m);
        }

        if (ticket.QuoteQty is { } quoteQty)
        {
            parameters.Add("quoteOrderQty", quoteQty);
        }

        if (ticket.Price is { } price)
        {
            parameters.Add("price", price, rules?.PriceFilter?.TickSize ?? 0m);
        }

        parameters.Add("newClientOrderId", clientOrderId).Add("newOrderRespType", "FULL");
        if (ticket.SelfTradePrevention is { } selfTradePrevention)
        {
            parameters.Add("selfTradePreventionMode", selfTradePrevention.ToWire());
        }

        return SendAsync(HttpMethod.Post, "/api/v3/order", parameters, BinanceSecurity.Signature, 1, BinanceRequestKind.NewOrder, BinanceJsonContext.Default.BinanceOrder, sendBy, cancellationToken);
    }

    private static OrderSide ParseSide(string side) =>
        OrderWire.TryParseSide(side, out var parsed) ? parsed : throw new ArgumentException($"side must be BUY or SELL, not '{side}'.", nameof(side));

    /// <summary>Cancels one order. Goes out during a weight back-off and while new orders are over the ORDERS limits.</summary>
    public Task<BinanceResult<BinanceOrder>> CancelOrderAsync(string symbol, string origClientOrderId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, "/api/v3/order", new BinanceParameters().Add("symbol", symbol).Add("origClientOrderId", origClientOrderId), BinanceSecurity.Signature, 1, BinanceRequestKind.Cancel, BinanceJsonContext.Default.BinanceOrder, sendBy: null, cancellationToken);

    public Task<BinanceResult<BinanceOrder>> GetOrderAsync(string symbol, string origClientOrderId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/order", new BinanceParameters().Add("symbol", symbol).Add("origClientOrderId", origClientOrderId), BinanceSecurity.Signature, 4, BinanceJsonContext.Default.BinanceOrder, cancellationToken);

    /// <summary>
    /// One order by the venue's order id (<c>GET /api/v3/order</c> with <c>orderId</c>): still found after a cancel,
    /// which gives the order a new <c>clientOrderId</c> (the old one then no longer names it).
    /// </summary>
    public Task<BinanceResult<BinanceOrder>> GetOrderAsync(string symbol, long orderId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/order", new BinanceParameters().Add("symbol", symbol).Add("orderId", orderId), BinanceSecurity.Signature, 4, BinanceJsonContext.Default.BinanceOrder, cancellationToken);

    public Task<BinanceResult<IReadOnlyList<BinanceOrder>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/openOrders", new BinanceParameters().Add("symbol", symbol), BinanceSecurity.Signature, 6, BinanceJsonContext.Default.IReadOnlyListBinanceOrder, cancellationToken);

    public Task<BinanceResult<BinanceAccount>> GetAccountAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/account", new BinanceParameters().Add("omitZeroBalances", "true"), BinanceSecurity.Signature, 20, BinanceJsonContext.Default.BinanceAccount, cancellationToken);

    /// <summary>The trades of one order (<c>GET /api/v3/myTrades</c> with <c>orderId</c>, weight 5).</summary>
    public Task<BinanceResult<IReadOnlyList<BinanceTrade>>> GetOrderTradesAsync(string symbol, long orderId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/myTrades", new BinanceParameters().Add("symbol", symbol).Add("orderId", orderId), BinanceSecurity.Signature, 5, BinanceJsonContext.Default.IReadOnlyListBinanceTrade, cancellationToken);

    /// <summary>Trades with id ≥ <paramref name="fromId"/> (<c>GET /api/v3/myTrades</c>).</summary>
    public Task<BinanceResult<IReadOnlyList<BinanceTrade>>> GetMyTradesAsync(string symbol, long fromId, int limit, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/api/v3/myTrades", new BinanceParameters().Add("symbol", symbol).Add("fromId", fromId).Add("limit", limit), BinanceSecurity.Signature, 20, BinanceJsonContext.Default.IReadOnlyListBinanceTrade, cancellationToken);

    /// <summary>
    /// Sends one request; on <c>-1021</c> resyncs the clock and sends it once more with a fresh timestamp.
    /// </summary>
    public Task<BinanceResult<T>> SendAsync<T>(HttpMethod method, string path, BinanceParameters parameters, BinanceSecurity security, int weight, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        SendAsync(method, path, parameters, security, weight, BinanceRequestKind.Other, typeInfo, sendBy: null, cancellationToken);

    /// <summary>
    /// Sends one request of <paramref name="kind"/> (what the rate limits apply to it); on <c>-1021</c> resyncs the
    /// clock and sends it once more with a fresh timestamp. With <paramref name="sendBy"/>, no attempt is signed with
    /// a <c>timestamp</c> later than it (venue time).
    /// </summary>
    public async Task<BinanceResult<T>> SendAsync<T>(HttpMethod method, string path, BinanceParameters parameters, BinanceSecurity security, int weight, BinanceRequestKind kind, JsonTypeInfo<T> typeInfo, DateTimeOffset? sendBy, CancellationToken cancellationToken)
    {
        var result = await SendOnceAsync(method, path, parameters, security, weight, kind, typeInfo, sendBy, cancellationToken);
        if (result.Code == BinanceErrorCodes.InvalidTimestamp && security == BinanceSecurity.Signature)
        {
            LogClockResync(_logger, path, ServerClock.OffsetMs);
            var sync = await SyncClockAsync(cancellationToken);
            if (sync.IsSuccess)
            {
                result = await SendOnceAsync(method, path, parameters, security, weight, kind, typeInfo, sendBy, cancellationToken);
            }
        }

        return result;
    }

    private async Task<BinanceResult<T>> SendOnceAsync<T>(HttpMethod method, string path, BinanceParameters parameters, BinanceSecurity security, int weight, BinanceRequestKind kind, JsonTypeInfo<T> typeInfo, DateTimeOffset? sendBy, CancellationToken cancellationToken)
    {
        if (RateGate.Check(weight, kind) is { } refusal)
        {
            return new BinanceResult<T>(refusal.Kind, default, Message: "refused locally: " + (refusal.Kind == BinanceOutcomeKind.Banned ? "trading halted by a venue ban" : "rate limit back-off"), RetryAfter: refusal.RetryAfter);
        }

        if (security != BinanceSecurity.None && !_options.HasCredentials)
        {
            return new BinanceResult<T>(BinanceOutcomeKind.Unauthorized, default, Message: "Binance API key and secret are not configured");
        }

        var query = parameters.Clone();
        var timestamp = ServerClock.NowMs;
        if (sendBy is { } deadline && timestamp > deadline.ToUnixTimeMilliseconds())
        {
            // Checked last before signing, so the deadline bounds the timestamp the venue sees.
            LogNotSent(_logger, method.Method, path, timestamp - deadline.ToUnixTimeMilliseconds());
            return new BinanceResult<T>(BinanceOutcomeKind.NotSent, default, Message: "not sent: its send-by deadline has passed");
        }

        if (security == BinanceSecurity.Signature)
        {
            query.Add("recvWindow", _options.RecvWindowMs).Add("timestamp", timestamp);
        }

        var payload = query.ToEncodedString();
        if (security == BinanceSecurity.Signature)
        {
            payload += (payload.Length > 0 ? "&" : string.Empty) + "signature=" + _signer.SignRestForUrl(payload);
        }

        var uri = new Uri(_options.BaseUrl, path + (payload.Length > 0 ? "?" + payload : string.Empty));
        using var request = new HttpRequestMessage(method, uri);
        if (security != BinanceSecurity.None)
        {
            request.Headers.TryAddWithoutValidation("X-MBX-APIKEY", _options.ApiKey.Reveal());
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex))
        {
            LogUnreachable(_logger, method.Method, path, ex.HttpRequestError.ToString());
            return new BinanceResult<T>(BinanceOutcomeKind.Unreachable, default, Message: "venue unreachable");
        }
        catch (HttpRequestException ex)
        {
            LogUnknown(_logger, method.Method, path, ex.HttpRequestError.ToString());
            return new BinanceResult<T>(BinanceOutcomeKind.Unknown, default, Message: "connection failed after the request was sent");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnknown(_logger, method.Method, path, "timeout");
            return new BinanceResult<T>(BinanceOutcomeKind.Unknown, default, Message: $"no answer within {_options.RequestTimeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            if (response.IsSuccessStatusCode)
            {
                RateGate.OnResponse(response, kind, null);
                try
                {
                    var value = JsonSerializer.Deserialize(body, typeInfo);
                    return value is null
                        ? new BinanceResult<T>(BinanceOutcomeKind.Unknown, default, Message: "empty answer", HttpStatus: status)
                        : BinanceResult.Ok(value, status);
                }
                catch (JsonException)
                {
                    return new BinanceResult<T>(BinanceOutcomeKind.Unknown, default, Message: "unreadable answer", HttpStatus: status);
                }
            }

            BinanceError? error = null;
            try
            {
                error = body.Length == 0 ? null : JsonSerializer.Deserialize(body, BinanceJsonContext.Default.BinanceError);
            }
            catch (JsonException)
            {
                // A proxy or WAF page: classified by the HTTP status alone.
            }

            // The error code decides what a 429 stops: -1015 (order count) only new orders.
            RateGate.OnResponse(response, kind, error?.Code);
            var outcome = BinanceErrorCodes.Classify(status, error?.Code);
            var retryAfter = outcome is BinanceOutcomeKind.RateLimited or BinanceOutcomeKind.Banned ? RateGate.RetryAfter(response) : null;
            if (outcome == BinanceOutcomeKind.Banned)
            {
                LogBanned(_logger, path, retryAfter?.TotalSeconds ?? 0);
            }

            return new BinanceResult<T>(outcome, default, error?.Code, error?.Msg, status, retryAfter);
        }
    }

    private static bool IsConnectFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance rejected the timestamp of {Path} (offset {OffsetMs} ms); resyncing the clock and retrying once")]
    private static partial void LogClockResync(ILogger logger, string path, long offsetMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} not sent: its send-by deadline passed {LateMs} ms ago")]
    private static partial void LogNotSent(ILogger logger, string method, string path, long lateMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance unreachable for {Method} {Path}: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string method, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outcome of {Method} {Path} unknown: {Reason}")]
    private static partial void LogUnknown(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "[AUDIT] binance_ip_banned: {Path} answered 418; trading halted for {Seconds} s")]
    private static partial void LogBanned(ILogger logger, string path, double seconds);
}
