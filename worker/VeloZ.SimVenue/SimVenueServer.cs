using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.SimVenue.Api;
using VeloZ.SimVenue.Infrastructure;
using VeloZ.SimVenue.Streams;

namespace VeloZ.SimVenue;

/// <summary>
/// Starts a Binance Spot compatible simulated venue on a loopback Kestrel port, in the calling process.
/// The worker hosts it this way in <c>sim_engine</c> mode; the standalone host and the tests do the same.
/// </summary>
public static class SimVenueServer
{
    /// <summary>Validates <paramref name="options"/>, starts listening and returns the running venue.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static async Task<SimVenueHandle> StartAsync(SimVenueOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("VeloZ.SimVenue");
        var runtime = new VenueRuntime(options, logger);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SimVenueServer).Assembly.GetName().Name });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var market = new SimVenueMarket(runtime.Engine);
        var accounts = new SimVenueAccounts(runtime.Engine);
        var control = options.EnableControlEndpoints ? new ControlEndpoint(runtime, market, accounts) : null;
        app.Run(context => RouteAsync(runtime, control, context, stopping.Token));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var background = Task.WhenAll(PriceLoopAsync(runtime, stopping.Token), MiniTickerLoopAsync(runtime, stopping.Token));
        var handle = new SimVenueHandle(app, runtime, new Uri(address), stopping, background);
        Log.VenueStarted(logger, handle.RestBaseUri, handle.StreamBaseUri, handle.WebSocketApiUri);
        return handle;
    }

    private static Task RouteAsync(VenueRuntime runtime, ControlEndpoint? control, HttpContext context, CancellationToken stopping)
    {
        var path = context.Request.Path.Value ?? "/";
        if (runtime.Rest.IsRestPath(path))
        {
            return runtime.Rest.HandleAsync(context);
        }

        if (path == "/ws-api/v3")
        {
            return WsApiSession.AcceptAsync(runtime, context, stopping);
        }

        if (path == "/ws" || path == "/stream" || path.StartsWith("/ws/", StringComparison.Ordinal))
        {
            return MarketStreamSession.AcceptAsync(runtime, context, stopping);
        }

        if (control is not null && path.StartsWith("/sim/", StringComparison.Ordinal))
        {
            return control.HandleAsync(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>Steps the seeded price path every <see cref="SimVenueOptions.PriceTickInterval"/> (none when zero).</summary>
    private static async Task PriceLoopAsync(VenueRuntime runtime, CancellationToken stopping)
    {
        if (runtime.Options.PriceTickInterval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(runtime.Options.PriceTickInterval, runtime.Clock.TimeProvider);
        await RunTimerAsync(timer, "price path", runtime, () => runtime.Engine.Step(), stopping);
    }

    /// <summary>Publishes <c>&lt;symbol&gt;@miniTicker</c> to its subscribers every <see cref="SimVenueOptions.MiniTickerInterval"/>.</summary>
    private static async Task MiniTickerLoopAsync(VenueRuntime runtime, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(runtime.Options.MiniTickerInterval, runtime.Clock.TimeProvider);
        await RunTimerAsync(timer, "mini ticker", runtime, () =>
        {
            foreach (var symbol in runtime.Engine.Symbols)
            {
                var stream = symbol.StreamName + "@miniTicker";
                if (runtime.MarketHub.HasSubscribers(stream))
                {
                    runtime.MarketHub.Publish(stream, runtime.Engine.MiniTickerPayload(symbol, runtime.Clock.NowMs));
                }
            }
        }, stopping);
    }

    private static async Task RunTimerAsync(PeriodicTimer timer, string name, VenueRuntime runtime, Action tick, CancellationToken stopping)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    tick();
                }
#pragma warning disable CA1031 // A failing tick is logged and the loop goes on, like every VeloZ background loop.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    Log.LoopFailed(runtime.Logger, name, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The venue is stopping.
        }
    }
}
