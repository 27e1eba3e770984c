namespace VeloZ.Domain.Configuration;

/// <summary>Where the worker takes market prices from (<c>VELOZ_MARKET_SOURCE</c>).</summary>
public enum MarketSource
{
    /// <summary><c>sim</c>: the embedded simulated market.</summary>
    Sim,

    /// <summary><c>binance_rest</c>: polling Binance's <c>ticker/price</c>.</summary>
    BinanceRest,

    /// <summary><c>binance_ws</c>: Binance WebSocket streams with REST polling while the socket is down.</summary>
    BinanceWs,
}
