using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VeloZ.Binance.Rest;
using VeloZ.Binance.Signing;
using VeloZ.Domain.Time;

namespace VeloZ.Binance.UserData;

/// <summary>
/// Binance's user data stream over the WebSocket API (Binance Spot API docs, web-socket-api.md and user-data-stream.md): on every
/// connection, with a fresh signature, <c>session.logon</c> then <c>userDataStream.subscribe</c> for an Ed25519 key, or
/// <c>userDataStream.subscribe.signature</c> for any other key (and after a refused logon); no listenKey (those endpoints are gone).
/// <para>Invariants:</para>
/// <list type="bullet">
/// <item>Socket receive loops only enqueue: typed events go to <see cref="Events"/> (unbounded, read by one consumer),
/// connection signals go to the supervisor loop inside <see cref="RunAsync"/>, which alone opens, replaces and closes
/// connections.</item>
/// <item><see cref="UserStreamConnected"/> precedes every event of its subscription; <see cref="UserStreamDisconnected"/>
/// follows every event of the lost connection.</item>
/// <item>Lost connections (close, drop, missed keep-alive pong, silence, <c>eventStreamTerminated</c>) are reconnected
/// after an exponential back-off with jitter. Events the venue produced while no subscription was active are lost by
/// Binance's design: <see cref="UserStreamConnected.MayHaveMissedEvents"/> tells the consumer to reconcile over REST.</item>
/// <item>Planned rotation (<see cref="BinanceUserDataStreamOptions.RotateAfter"/>) and <c>serverShutdown</c> are
/// make-before-break: the new connection is subscribed before the old one unsubscribes and closes, so no event is lost.
/// Events of the overlap may arrive twice (once per connection); the consumer dedupes fills by trade id and order
/// updates by order status, as it must anyway for REST reconciliation.</item>
/// <item>Neither the API key, the secret nor a signature ever appears in a log line, an exception or an event.</item>
/// </list>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Binance calls the feature the user data stream; this is not a System.IO.Stream.")]
public sealed partial class BinanceUserDataStream : IAsyncDisposable
{
    private static readonly TimeSpan s_retryAfterMargin = TimeSpan.FromMilliseconds(250);

    private readonly BinanceUserDataStreamOptions _options;
    private readonly BinanceServerClock _serverClock;
    private readonly Func<CancellationToken, Task>? _resyncClock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BinanceSigner _signer;
    private readonly Channel<UserDataEvent> _events = Channel.CreateUnbounded<UserDataEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(UserDataConnection Connection, Signal Kind)> _signals = Channel.CreateUnbounded<(UserDataConnection, Signal)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _disposing = new();
    private Task? _run;
    private int _started;
    private int _disposed;
    private long _connectionsOpened;
    private long _subscriptions;
    private long _reconnects;
    private long _rotations;
    private long _failures;
    private long _nextConnectionId;
    private long _logons;
    private volatile bool _logonRefused;
    private volatile bool _connected;
    private volatile UserDataConnection? _current;

    /// <summary>Creates the stream; timestamps come from <paramref name="serverClock"/>, a <c>-1021</c> answer calls <paramref name="resyncClock"/> and retries once.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public BinanceUserDataStream(BinanceUserDataStreamOptions options, BinanceServerClock serverClock, Func<CancellationToken, Task>? resyncClock, TimeProvider time, ILogger<BinanceUserDataStream> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serverClock);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _serverClock = serverClock;
        _resyncClock = resyncClock;
        _time = time;
        _logger = logger;
        _signer = new BinanceSigner(options.ApiSecret);
    }

    /// <summary>Creates the stream sharing the REST client's server clock; a <c>-1021</c> resyncs it with <see cref="BinanceRestClient.SyncClockAsync"/>.</summary>
    public BinanceUserDataStream(BinanceUserDataStreamOptions options, BinanceRestClient restClient, TimeProvider time, ILogger<BinanceUserDataStream> logger)
        : this(options, (restClient ?? throw new ArgumentNullException(nameof(restClient))).ServerClock, async ct => await restClient.SyncClockAsync(ct), time, logger)
    {
    }

    private enum Signal
    {
        Ended,
        ServerShutdown,
    }

    /// <summary>User data and connection-state events, in the order received. Completes when <see cref="RunAsync"/> ends.</summary>
    public ChannelReader<UserDataEvent> Events => _events.Reader;

    /// <summary>True while a subscription is active.</summary>
    public bool IsConnected => _connected;

    /// <summary>WebSocket connections opened (including ones whose subscription then failed).</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    /// <summary>Subscriptions the venue accepted.</summary>
    public long Subscriptions => Interlocked.Read(ref _subscriptions);

    /// <summary>Connections logged on with <c>session.logon</c> (Ed25519 keys) before they subscribed.</summary>
    public long Logons => Interlocked.Read(ref _logons);

    /// <summary>Subscriptions re-established after a lost connection.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Make-before-break switches completed (planned rotation or <c>serverShutdown</c>).</summary>
    public long Rotations => Interlocked.Read(ref _rotations);

    /// <summary>Stream failures (each logged as <c>[AUDIT] binance_ws_error</c>): lost connections and failed connect or subscribe attempts.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// Keeps a subscription alive until <paramref name="cancellationToken"/> is canceled (or the stream is disposed), then
    /// closes the connection and completes <see cref="Events"/>. Call once.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("RunAsync was called twice on one BinanceUserDataStream.");
        }

        var run = SuperviseAsync(cancellationToken);
        Volatile.Write(ref _run, run);
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync();
        if (Volatile.Read(ref _run) is { } run)
        {
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        else
        {
            _events.Writer.TryComplete();
        }

        _disposing.Dispose();
    }

    internal void Publish(UserDataEvent userDataEvent) => _events.Writer.TryWrite(userDataEvent);

    internal void OnSubscribed(UserDataConnection connection, int subscriptionId)
    {
        Interlocked.Increment(ref _subscriptions);
        if (connection.Reason == UserStreamConnectReason.Reconnect)
        {
            Interlocked.Increment(ref _reconnects);
        }

        _connected = true;
        LogSubscribed(_logger, connection.Id, subscriptionId, connection.Reason);
        Publish(new UserStreamConnected(_time.GetUtcNow(), connection.Id, subscriptionId, connection.Reason));
    }

    internal void OnConnectionEnded(UserDataConnection connection) => _signals.Writer.TryWrite((connection, Signal.Ended));

    internal void OnServerShutdown(UserDataConnection connection) => _signals.Writer.TryWrite((connection, Signal.ServerShutdown));

    internal void OnMalformedMessage(UserDataConnection connection, string problem) => LogMalformed(_logger, connection.Id, problem);

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = linked.Token;
        UserDataConnection? current = null;
        UserStreamConnectReason? pendingSwitch = null;
        var attempt = 0;
        var everConnected = false;
        var nextAttempt = _time.GetUtcNow();
        var rotateAt = DateTimeOffset.MaxValue;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (current is null)
                {
                    await DelayUntilAsync(nextAttempt, token);
                    var opened = await OpenAsync(everConnected ? UserStreamConnectReason.Reconnect : UserStreamConnectReason.Initial, token);
                    if (opened.Connection is null)
                    {
                        // A subscription announced just before its request timed out still gets its disconnect.
                        _connected = false;
                        nextAttempt = Failed(opened.Failure!, opened.AnnouncedId, ref attempt, opened.RetryAfterMs);
                        everConnected |= opened.AnnouncedId is not null;
                        continue;
                    }

                    current = opened.Connection;
                    _current = current;
                    everConnected = true;
                    attempt = 0;
                    rotateAt = _time.GetUtcNow() + _options.RotateAfter;
                    continue;
                }

                if (pendingSwitch is { } switchReason && _time.GetUtcNow() >= nextAttempt)
                {
                    // Make before break: the old connection keeps delivering until the new one is subscribed.
                    var opened = await OpenAsync(switchReason, token);
                    if (opened.Connection is null)
                    {
                        nextAttempt = Failed(opened.Failure!, current.Id, ref attempt, opened.RetryAfterMs);
                        continue;
                    }

                    var old = current;
                    current = opened.Connection;
                    _current = current;
                    pendingSwitch = null;
                    attempt = 0;
                    rotateAt = _time.GetUtcNow() + _options.RotateAfter;
                    var confirmed = await old.RetireAsync();
                    await old.DisposeAsync();
                    Interlocked.Increment(ref _rotations);
                    LogSwitched(_logger, old.Id, current.Id, switchReason, confirmed);
                    continue;
                }

                var signal = await NextSignalAsync(pendingSwitch is null ? rotateAt : nextAttempt, token);
                if (signal is null)
                {
                    if (pendingSwitch is null && _time.GetUtcNow() >= rotateAt)
                    {
                        LogRotating(_logger, current.Id);
                        pendingSwitch = UserStreamConnectReason.Rotation;
                        nextAttempt = _time.GetUtcNow();
                    }

                    continue;
                }

                var (connection, kind) = signal.Value;
                if (!ReferenceEquals(connection, current))
                {
                    // A replaced connection ending, or a late signal of it: nothing to do.
                    continue;
                }

                if (kind == Signal.ServerShutdown)
                {
                    LogServerShutdown(_logger, current.Id);
                    if (pendingSwitch is null)
                    {
                        pendingSwitch = UserStreamConnectReason.ServerShutdown;
                        nextAttempt = _time.GetUtcNow();
                    }

                    continue;
                }

                // The current connection is gone: every event it received is already in the channel.
                await current.DisposeAsync();
                _connected = false;
                _current = null;
                var reason = current.EndReason ?? UserStreamDisconnectReasons.Dropped;
                var lostId = current.Id;
                current = null;
                pendingSwitch = null;
                nextAttempt = Failed(reason, lostId, ref attempt, null);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _connected = false;
            _current = null;
            if (current is not null)
            {
                using (var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time))
                {
                    await current.CloseAsync(closing.Token);
                }

                await current.DisposeAsync();
            }

            _events.Writer.TryComplete();
        }
    }

    /// <summary>Counts and logs one failure, publishes the disconnect when a subscription was lost, and returns when to try again.</summary>
    private DateTimeOffset Failed(string reason, long? lostConnectionId, ref int attempt, long? retryAfterMs)
    {
        var delay = Backoff.JitteredDelay(attempt++, _options.ReconnectBaseDelay, _options.ReconnectMaxDelay);
        var now = _time.GetUtcNow();
        if (retryAfterMs is { } retryAt)
        {
            // 418/429 on the subscription: never come back before the venue says so (Binance Spot API docs, web-socket-api.md: "Rate limits"), with a margin
            // for timer granularity and clock-offset error, since arriving a millisecond early costs a whole new wait.
            var venueWait = TimeSpan.FromMilliseconds(retryAt - _serverClock.NowMs) + s_retryAfterMargin;
            if (venueWait > delay)
            {
                delay = venueWait;
            }
        }

        LogStreamError(_logger, reason, lostConnectionId ?? 0, (long)delay.TotalMilliseconds);
        Interlocked.Increment(ref _failures);
        if (lostConnectionId is { } lost && reason is not null && _current is null)
        {
            Publish(new UserStreamDisconnected(now, lost, reason, delay));
        }

        return now + delay;
    }

    private async Task<(UserDataConnection? Connection, string? Failure, long? RetryAfterMs, long? AnnouncedId)> OpenAsync(UserStreamConnectReason reason, CancellationToken cancellationToken)
    {
        var connection = new UserDataConnection(this, _options, _time, Interlocked.Increment(ref _nextConnectionId), reason);
        string failure;
        long? retryAfter = null;
        try
        {
            await connection.ConnectAsync(cancellationToken);
            Interlocked.Increment(ref _connectionsOpened);
            var response = await SubscribeAsync(connection, cancellationToken);
            if (response.Status != 200 && response.Code == BinanceErrorCodes.InvalidTimestamp && _resyncClock is not null)
            {
                // Same rule as REST (Binance Spot API docs, web-socket-api.md: "Timing security"): resync the offset, then once more with a fresh timestamp.
                LogClockResync(_logger, connection.Id, _serverClock.OffsetMs);
                await _resyncClock(cancellationToken);
                response = await SubscribeAsync(connection, cancellationToken);
            }

            if (response.Status == 200 && response.SubscriptionId is not null)
            {
                return (connection, null, null, null);
            }

            failure = response.Code is { } code
                ? $"subscribe_rejected status={response.Status} code={code}"
                : $"subscribe_rejected status={response.Status}";
            retryAfter = response.RetryAfterMs;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw;
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException or IOException or HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            // Only the exception type and WebSocket error code: messages are not ours to vouch for.
            failure = exception is WebSocketException ws
                ? $"connect_failed {ws.WebSocketErrorCode}"
                : $"connect_failed {exception.GetType().Name}";
        }

        await connection.DisposeAsync();
        return (null, failure, retryAfter, connection.SubscriptionId >= 0 ? connection.Id : null);
    }

    /// <summary>
    /// Subscribes the account on a new connection. An Ed25519 key logs the connection on (<c>session.logon</c>, which
    /// Binance accepts only for Ed25519 keys) and subscribes with <c>userDataStream.subscribe</c>; any other key, or an
    /// Ed25519 key whose logon the venue refused for a reason other than the timestamp, subscribes with the signed
    /// <c>userDataStream.subscribe.signature</c>, which Binance accepts for every key type. A refused logon is not
    /// tried again on later connections: the signed subscription delivers the same events.
    /// </summary>
    private async Task<WsApiResponse> SubscribeAsync(UserDataConnection connection, CancellationToken cancellationToken)
    {
        var apiKey = _options.ApiKey.Reveal();
        var timestamp = _serverClock.NowMs;
        if (_signer.KeyType == BinanceKeyType.Ed25519 && !_logonRefused)
        {
            var logon = await connection.LogonAsync(id => UserDataRequests.Logon(id, apiKey, timestamp, _options.RecvWindowMs, _signer), cancellationToken);
            if (logon.Status == 200)
            {
                Interlocked.Increment(ref _logons);
                return await connection.SubscribeAsync(UserDataRequests.SubscribeLoggedOn, cancellationToken);
            }

            if (logon.Code == BinanceErrorCodes.InvalidTimestamp || logon.Status is 429 or 418 || logon.Status >= 500)
            {
                // The caller resyncs the clock or backs off, then logs on again.
                return logon;
            }

            _logonRefused = true;
            LogLogonRefused(_logger, connection.Id, logon.Status, logon.Code);
        }

        return await connection.SubscribeAsync(id => UserDataRequests.Subscribe(id, apiKey, timestamp, _options.RecvWindowMs, _signer), cancellationToken);
    }

    private async Task DelayUntilAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        var wait = due - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>The next connection signal, or null once <paramref name="due"/> has passed.</summary>
    private async Task<(UserDataConnection, Signal)?> NextSignalAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_signals.Reader.TryRead(out var signal))
            {
                return signal;
            }

            var wait = due - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return null;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var readable = _signals.Reader.WaitToReadAsync(waiting.Token).AsTask();
            var timer = Task.Delay(wait, _time, waiting.Token);
            await Task.WhenAny(readable, timer);
            await waiting.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance refused session.logon for the Ed25519 key (connection {ConnectionId}, status {Status}, code {Code}); subscribing with a signed userDataStream.subscribe.signature from now on")]
    private static partial void LogLogonRefused(ILogger logger, long connectionId, int status, int? code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binance user data stream subscribed (connection {ConnectionId}, subscription {SubscriptionId}, {ConnectReason})")]
    private static partial void LogSubscribed(ILogger logger, long connectionId, int subscriptionId, UserStreamConnectReason connectReason);

    [LoggerMessage(Level = LogLevel.Error, Message = "[AUDIT] binance_ws_error: user data stream {Reason} (connection {ConnectionId}); retrying in {RetryInMs} ms")]
    private static partial void LogStreamError(ILogger logger, string reason, long connectionId, long retryInMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance rejected the user data subscription's timestamp (connection {ConnectionId}, offset {OffsetMs} ms); resyncing the clock and subscribing once more")]
    private static partial void LogClockResync(ILogger logger, long connectionId, long offsetMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binance announced serverShutdown on connection {ConnectionId}; switching to a new connection before closing it")]
    private static partial void LogServerShutdown(ILogger logger, long connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User data connection {ConnectionId} reached its planned lifetime; rotating")]
    private static partial void LogRotating(ILogger logger, long connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User data stream switched from connection {OldConnectionId} to {NewConnectionId} ({ConnectReason}) without a gap; end of the old subscription confirmed by the venue: {Confirmed}")]
    private static partial void LogSwitched(ILogger logger, long oldConnectionId, long newConnectionId, UserStreamConnectReason connectReason, bool confirmed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable message on user data connection {ConnectionId}: {Problem}")]
    private static partial void LogMalformed(ILogger logger, long connectionId, string problem);
}
