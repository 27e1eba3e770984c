using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Rest;

/// <summary>
/// REST clients per venue: one server clock and one rate gate per REST base URL (Binance's limits and
/// clock belong to the host, and its weight limits are per IP), one client per (URL, API key), all
/// sharing one <see cref="HttpClient"/>.
/// </summary>
public sealed class BinanceClientPool(HttpClient http, TimeProvider clock, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, (BinanceServerClock Clock, BinanceRateGate Gate)> _venues = new();
    private readonly ConcurrentDictionary<(Uri Url, string Key), BinanceRestClient> _clients = new();

    /// <summary>The unauthenticated client for market data at <paramref name="baseUrl"/>.</summary>
    public BinanceRestClient For(Uri baseUrl) => For(baseUrl, Secret.Empty, Secret.Empty);

    public BinanceRestClient For(Uri baseUrl, Secret apiKey, Secret apiSecret)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        var venue = _venues.GetOrAdd(baseUrl, _ => (new BinanceServerClock(clock), new BinanceRateGate(clock)));
        return _clients.GetOrAdd((baseUrl, apiKey.Reveal()), key => new BinanceRestClient(
            http,
            new BinanceClientOptions { BaseUrl = key.Url, ApiKey = apiKey, ApiSecret = apiSecret },
            venue.Clock,
            venue.Gate,
            clock,
            loggers.CreateLogger<BinanceRestClient>()));
    }

    /// <summary>Each venue this pool has talked to, with the rate gate its clients share (for the rate-limit gauges).</summary>
    public IEnumerable<(Uri BaseUrl, BinanceRateGate Gate)> Venues => _venues.Select(v => (v.Key, v.Value.Gate));

    public void Dispose() => http.Dispose();
}

/// <summary>Registers the <see cref="BinanceClientPool"/> the API and the worker share their venue connections through.</summary>
public static class BinanceServiceCollectionExtensions
{
    public static IServiceCollection AddBinanceClientPool(this IServiceCollection services) =>
        services.AddSingleton(sp => new BinanceClientPool(new HttpClient(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
}
