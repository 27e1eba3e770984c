using System.Globalization;
using System.Threading.Channels;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Streams;

/// <summary>
/// What every venue WebSocket connection does, as Binance does it (Binance's web-socket-api.md and web-socket-streams.md "General API Information"): a ping frame every
/// <see cref="SimVenueOptions.PingInterval"/> (payload = venue time), disconnect when no matching pong came for
/// <see cref="SimVenueOptions.PongTimeout"/>, end after <see cref="SimVenueOptions.ConnectionLifetime"/>.
/// Outgoing messages go through one channel with a single writer loop, which also applies the injected
/// message delay; everything runs on the venue's <see cref="TimeProvider"/>.
/// </summary>
internal abstract class WsSession : IDisposable
{
    private static long s_nextId;

    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private int _unansweredPings;
    private string? _lastPing;

    protected WsSession(VenueRuntime runtime, WsConnection connection)
    {
        Runtime = runtime;
        Connection = connection;
    }

    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    protected VenueRuntime Runtime { get; }

    protected WsConnection Connection { get; }

    protected abstract string Kind { get; }

    public async Task RunAsync(CancellationToken stopping)
    {
        Runtime.Connections.Add(this);
        Runtime.Counters.WebSocketOpened();
        Log.WebSocketOpened(Runtime.Logger, Kind, Id);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stop.Token);
        var token = linked.Token;
        Connection.PongReceived = OnPong;
        Connection.FrameReceived = OnFrameReceived;
        var writer = WriteLoopAsync(token);
        var keepAlive = KeepAliveLoopAsync(token);
        var lifetime = LifetimeAsync(token);
        try
        {
            OnOpened();
            while (await Connection.ReceiveAsync(token) is { } text)
            {
                OnText(text);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed, dropped, or the venue is stopping.
        }
        finally
        {
            await _stop.CancelAsync();
            _outbound.Writer.TryComplete();
            OnClosed();
            Runtime.Connections.Remove(this);
            Runtime.Counters.WebSocketClosed();
            await Task.WhenAll(writer, keepAlive, lifetime);
            Log.WebSocketClosed(Runtime.Logger, Id);
            Dispose();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Queues a text message (after the injected delay, in order).</summary>
    public void Enqueue(string text) =>
        _outbound.Writer.TryWrite(new Outbound(text, null, Runtime.Clock.TimeProvider.GetUtcNow() + Runtime.Faults.MessageDelay));

    /// <summary>Drops the connection at once, without a close frame.</summary>
    public void Drop()
    {
        Connection.Abort();
        CancelQuietly();
    }

    /// <summary>Ends the connection as its 24 h lifetime would: after queued messages, with a close frame.</summary>
    public virtual void Expire()
    {
        Log.LifetimeEnded(Runtime.Logger, Id);
        EnqueueClose(1000, "Connection lifetime expired");
    }

    public abstract void AnnounceShutdown();

    protected virtual void OnOpened()
    {
    }

    protected abstract void OnText(string text);

    protected virtual void OnClosed()
    {
    }

    protected virtual void OnFrameReceived()
    {
    }

    protected void EnqueueClose(ushort code, string reason) =>
        _outbound.Writer.TryWrite(new Outbound(null, (code, reason), Runtime.Clock.TimeProvider.GetUtcNow() + Runtime.Faults.MessageDelay));

    /// <summary>Closes at once (policy violations, missed pongs): close frame, then the connection ends without waiting for the client.</summary>
    protected async Task CloseNowAsync(ushort code, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Connection.SendCloseAsync(code, reason, timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }

        // Ending the session ends the request; Kestrel then flushes the close frame and closes the socket.
        CancelQuietly();
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
            Connection.Dispose();
        }
    }

    private void CancelQuietly()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session has ended already.
        }
    }

    private void OnPong(string payload)
    {
        if (payload.Length > 0 && payload == Volatile.Read(ref _lastPing))
        {
            Interlocked.Exchange(ref _unansweredPings, 0);
        }
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        var time = Runtime.Clock.TimeProvider;
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(token))
            {
                var wait = message.Due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, token);
                }

                if (message.Close is { } close)
                {
                    await Connection.SendCloseAsync(close.Code, close.Reason, token);

                    // Give the client a moment to answer the close frame, then end regardless.
                    _stop.CancelAfter(TimeSpan.FromSeconds(2));
                    return;
                }

                await Connection.SendTextAsync(message.Text!, token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            CancelQuietly();
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken token)
    {
        var options = Runtime.Options;
        var time = Runtime.Clock.TimeProvider;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(options.PingInterval, time, token);

                // Counting unanswered pings (not wall time since the last pong) keeps this right when a fake clock jumps.
                var unanswered = Volatile.Read(ref _unansweredPings);
                if (unanswered > 0 && options.PingInterval * unanswered >= options.PongTimeout)
                {
                    Log.PongTimeout(Runtime.Logger, Id);
                    await CloseNowAsync(1008, "Pong timeout");
                    return;
                }

                var payload = Runtime.Clock.NowMs.ToString(CultureInfo.InvariantCulture);
                Volatile.Write(ref _lastPing, payload);
                Interlocked.Increment(ref _unansweredPings);
                await Connection.SendPingAsync(payload, token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            CancelQuietly();
        }
    }

    private async Task LifetimeAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(Runtime.Options.ConnectionLifetime, Runtime.Clock.TimeProvider, token);
            Expire();
        }
        catch (OperationCanceledException)
        {
            // Ended before its lifetime.
        }
    }

    private sealed record Outbound(string? Text, (ushort Code, string Reason)? Close, DateTimeOffset Due);
}
