using Microsoft.AspNetCore.Builder;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue;

/// <summary>
/// A running simulated venue. Point a Binance client at <see cref="RestBaseUri"/>, <see cref="StreamBaseUri"/>
/// and <see cref="WebSocketApiUri"/>; use <see cref="Faults"/>, <see cref="Market"/>, <see cref="Accounts"/> and
/// <see cref="Counters"/> to steer and observe it. Dispose to stop it.
/// </summary>
public sealed class SimVenueHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _background;
    private int _disposed;

    internal SimVenueHandle(WebApplication app, VenueRuntime runtime, Uri origin, CancellationTokenSource stopping, Task background)
    {
        _app = app;
        _stopping = stopping;
        _background = background;
        Port = origin.Port;
        RestBaseUri = new Uri($"http://{origin.Host}:{origin.Port}");
        StreamBaseUri = new Uri($"ws://{origin.Host}:{origin.Port}");
        WebSocketApiUri = new Uri($"ws://{origin.Host}:{origin.Port}/ws-api/v3");
        Faults = runtime.Faults;
        Counters = runtime.Counters;
        Market = new SimVenueMarket(runtime.Engine);
        Accounts = new SimVenueAccounts(runtime.Engine);
    }

    /// <summary>The loopback port the venue listens on.</summary>
    public int Port { get; }

    /// <summary>REST base, e.g. <c>http://127.0.0.1:5123</c> (append <c>/api/v3/…</c>).</summary>
    public Uri RestBaseUri { get; }

    /// <summary>Market stream base, e.g. <c>ws://127.0.0.1:5123</c> (append <c>/ws/&lt;stream&gt;</c> or <c>/stream?streams=…</c>).</summary>
    public Uri StreamBaseUri { get; }

    /// <summary>WebSocket API URL, e.g. <c>ws://127.0.0.1:5123/ws-api/v3</c>.</summary>
    public Uri WebSocketApiUri { get; }

    public SimVenueFaults Faults { get; }

    public SimVenueCounters Counters { get; }

    public SimVenueMarket Market { get; }

    public SimVenueAccounts Accounts { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _background;
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
