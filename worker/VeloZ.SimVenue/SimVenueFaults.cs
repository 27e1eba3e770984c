using VeloZ.SimVenue.Streams;

namespace VeloZ.SimVenue;

/// <summary>
/// Fault injection, all off by default. Settings apply to the next request or message; the methods act
/// at once on every open WebSocket connection. Thread-safe.
/// </summary>
public sealed class SimVenueFaults
{
    private readonly Lock _gate = new();
    private readonly ConnectionRegistry _connections;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private double _orderFaultRate;
    private OrderFaultKind _orderFaultKind;
    private int _failNextCount;
    private OrderFaultKind _failNextKind;
    private TimeSpan _messageDelay;
    private TimeSpan _clockSkew;
    private bool _refuseSessionLogon;
    private TimeSpan _noResponseHold = TimeSpan.FromSeconds(30);
    private DateTimeOffset? _bannedUntil;

    internal SimVenueFaults(ConnectionRegistry connections, int seed, TimeProvider time)
    {
        _connections = connections;
        _time = time;
        _random = new Random(seed ^ 0x5EED);
    }

    /// <summary>
    /// When the IP ban set by <see cref="Ban"/> ends (the injected clock, without <see cref="ClockSkew"/>),
    /// or null when no ban is active.
    /// </summary>
    public DateTimeOffset? BannedUntil
    {
        get
        {
            lock (_gate)
            {
                return _bannedUntil is { } until && until > _time.GetUtcNow() ? until : null;
            }
        }
    }

    /// <summary>Share (0..1) of order placements answered with <see cref="OrderFaultKind"/> after being executed; drawn from the venue seed.</summary>
    public double OrderFaultRate
    {
        get { lock (_gate) { return _orderFaultRate; } }
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "OrderFaultRate must be between 0 and 1.");
            }

            lock (_gate) { _orderFaultRate = value; }
        }
    }

    /// <summary>The answer used by <see cref="OrderFaultRate"/>.</summary>
    public OrderFaultKind OrderFaultKind
    {
        get { lock (_gate) { return _orderFaultKind; } }
        set { lock (_gate) { _orderFaultKind = value; } }
    }

    /// <summary>Delay added to every outgoing WebSocket message (streams and WebSocket API) from now on.</summary>
    public TimeSpan MessageDelay
    {
        get { lock (_gate) { return _messageDelay; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _messageDelay = value; }
        }
    }

    /// <summary>Offset added to the venue's clock (serverTime, timestamp checks, event times).</summary>
    public TimeSpan ClockSkew
    {
        get { lock (_gate) { return _clockSkew; } }
        set { lock (_gate) { _clockSkew = value; } }
    }

    /// <summary>
    /// When true, <c>session.logon</c> is refused for every key, as a venue that does not offer it would (the client
    /// must still subscribe, with <c>userDataStream.subscribe.signature</c>).
    /// </summary>
    public bool RefuseSessionLogon
    {
        get { lock (_gate) { return _refuseSessionLogon; } }
        set { lock (_gate) { _refuseSessionLogon = value; } }
    }

    /// <summary>How long a <see cref="OrderFaultKind.NoResponse"/> REST request is held before its connection is dropped (venue clock).</summary>
    public TimeSpan NoResponseHold
    {
        get { lock (_gate) { return _noResponseHold; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _noResponseHold = value; }
        }
    }

    /// <summary>The next <paramref name="count"/> order placements are executed, then answered with <paramref name="kind"/>.</summary>
    public void FailNextOrders(int count, OrderFaultKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _failNextCount = count;
            _failNextKind = kind;
        }
    }

    /// <summary>
    /// Bans "this IP" for <paramref name="duration"/> (Binance's rest-api.md "LIMITS", web-socket-api.md): every REST request answers HTTP 418 with
    /// <c>Retry-After</c> and <c>-1003</c> "… IP banned until …", every WebSocket API request answers status 418
    /// with <c>error.data.retryAfter</c>. <see cref="TimeSpan.Zero"/> lifts the ban.
    /// </summary>
    public void Ban(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        lock (_gate)
        {
            _bannedUntil = duration == TimeSpan.Zero ? null : _time.GetUtcNow() + duration;
        }
    }

    /// <summary>Drops every open WebSocket connection without a close frame; returns how many.</summary>
    public int DropWebSockets() => _connections.DropAll();

    /// <summary>Ends every open WebSocket connection as if its 24 h lifetime had passed (user data subscriptions get <c>eventStreamTerminated</c>); returns how many.</summary>
    public int EndStreams() => _connections.ExpireAll();

    /// <summary>Sends the <c>serverShutdown</c> event on every open WebSocket connection; returns how many.</summary>
    public int AnnounceServerShutdown() => _connections.AnnounceShutdownAll();

    /// <summary>Turns every fault setting off.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _orderFaultRate = 0;
            _orderFaultKind = OrderFaultKind.ServerError;
            _failNextCount = 0;
            _messageDelay = TimeSpan.Zero;
            _clockSkew = TimeSpan.Zero;
            _noResponseHold = TimeSpan.FromSeconds(30);
            _bannedUntil = null;
            _refuseSessionLogon = false;
        }
    }

    /// <summary>Decides whether the order placement just executed gets a fault answer.</summary>
    internal OrderFaultKind? TakeOrderFault()
    {
        lock (_gate)
        {
            if (_failNextCount > 0)
            {
                _failNextCount--;
                return _failNextKind;
            }

            if (_orderFaultRate > 0 && _random.NextDouble() < _orderFaultRate)
            {
                return _orderFaultKind;
            }

            return null;
        }
    }
}
