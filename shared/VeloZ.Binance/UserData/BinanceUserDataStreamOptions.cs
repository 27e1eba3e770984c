using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.UserData;

/// <summary>
/// Where and how <see cref="BinanceUserDataStream"/> subscribes to user data. The defaults follow Binance's connection
/// rules (Binance Spot API docs, web-socket-api.md: "General API Information"): the venue pings every 20 s and drops a connection after 24 h.
/// </summary>
public sealed record BinanceUserDataStreamOptions
{
    /// <summary>The WebSocket API, e.g. <c>wss://ws-api.testnet.binance.vision/ws-api/v3</c> (never a listenKey URL).</summary>
    public required Uri WebSocketApiUrl { get; init; }

    public Secret ApiKey { get; init; } = Secret.Empty;

    public Secret ApiSecret { get; init; } = Secret.Empty;

    /// <summary><c>recvWindow</c> in ms sent with the subscription (Binance default 5000, max 60000); null omits it.</summary>
    public int? RecvWindowMs { get; init; } = 5000;

    /// <summary>How long opening the WebSocket may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the venue may take to answer the subscription request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Our own ping frames; with <see cref="KeepAliveTimeout"/> a dead peer is detected within about a minute.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long our ping frame may wait for the venue's pong before the connection counts as dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without any message, the stream sends a WebSocket API <c>ping</c> request (weight 1), so a quiet account still hears from the venue.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>No message at all for this long (not even the probe's answer) and the connection counts as dead.</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Planned make-before-break switch to a fresh connection, before Binance's 24 h limit ends it.</summary>
    public TimeSpan RotateAfter { get; init; } = TimeSpan.FromHours(23);

    /// <summary>First reconnect delay; it doubles with every failed attempt (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a replaced connection may take to confirm the end of its subscription before it is closed anyway.</summary>
    public TimeSpan RetireTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (WebSocketApiUrl is null || WebSocketApiUrl.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException("WebSocketApiUrl must be an absolute ws:// or wss:// URL.", nameof(WebSocketApiUrl));
        }

        if (ApiKey.IsEmpty || ApiSecret.IsEmpty)
        {
            throw new ArgumentException("ApiKey and ApiSecret are required for the user data stream.", nameof(ApiKey));
        }

        if (RecvWindowMs is <= 0 or > 60_000)
        {
            throw new ArgumentException("RecvWindowMs must be between 1 and 60000 (or null).", nameof(RecvWindowMs));
        }

        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(RequestTimeout, nameof(RequestTimeout));
        Positive(ProbeInterval, nameof(ProbeInterval));
        Positive(SilenceTimeout, nameof(SilenceTimeout));
        Positive(RotateAfter, nameof(RotateAfter));
        Positive(ReconnectBaseDelay, nameof(ReconnectBaseDelay));
        Positive(RetireTimeout, nameof(RetireTimeout));
        if (KeepAliveInterval < TimeSpan.Zero || KeepAliveTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("KeepAliveInterval and KeepAliveTimeout must not be negative (zero turns them off).", nameof(KeepAliveInterval));
        }

        if (ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new ArgumentException("ReconnectMaxDelay must be at least ReconnectBaseDelay.", nameof(ReconnectMaxDelay));
        }

        if (SilenceTimeout <= ProbeInterval)
        {
            throw new ArgumentException("SilenceTimeout must be longer than ProbeInterval, so the probe's answer can arrive.", nameof(SilenceTimeout));
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive.", name);
        }
    }
}
