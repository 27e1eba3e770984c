using System.Collections.Concurrent;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;

namespace VeloZ.Worker.Venue;

/// <summary>
/// One <see cref="BinanceRestClient"/> per REST base URL, each with its own server clock and rate gate
/// (limits are per venue host), all sharing one <see cref="HttpClient"/> handler.
/// </summary>
internal sealed class BinanceClients(HttpClient http, TimeProvider clock, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, BinanceRestClient> _clients = new();

    /// <summary>The unauthenticated client for market data at <paramref name="baseUrl"/>.</summary>
    public BinanceRestClient For(Uri baseUrl) => For(baseUrl, Secret.Empty, Secret.Empty);

    public BinanceRestClient For(Uri baseUrl, Secret apiKey, Secret apiSecret) =>
        _clients.GetOrAdd(baseUrl, url => new BinanceRestClient(
            http,
            new BinanceClientOptions { BaseUrl = url, ApiKey = apiKey, ApiSecret = apiSecret },
            new BinanceServerClock(clock),
            new BinanceRateGate(clock),
            clock,
            loggers.CreateLogger<BinanceRestClient>()));

    public void Dispose() => http.Dispose();
}
