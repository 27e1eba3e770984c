namespace VeloZ.Domain.Configuration;

/// <summary>Where orders go (<c>VELOZ_EXECUTION_MODE</c>).</summary>
public enum ExecutionMode
{
    /// <summary><c>sim_engine</c>: the simulated venue hosted by the worker.</summary>
    SimEngine,

    /// <summary><c>binance_testnet_spot</c>: Binance Spot testnet.</summary>
    BinanceTestnetSpot,

    /// <summary><c>binance_spot</c>: live Binance Spot trading (opt-in only).</summary>
    BinanceSpot,
}
