namespace VeloZ.Domain.Configuration;

/// <summary>
/// The contract's spelling of each mode value. One table per enum, used for parsing configuration,
/// for <c>/api/config</c> and for error messages, so the three can never disagree.
/// </summary>
public static class WireNames
{
    private static readonly (MarketSource Value, string Name)[] s_marketSources =
    [
        (MarketSource.Sim, "sim"),
        (MarketSource.BinanceRest, "binance_rest"),
        (MarketSource.BinanceWs, "binance_ws"),
    ];

    private static readonly (ExecutionMode Value, string Name)[] s_executionModes =
    [
        (ExecutionMode.SimEngine, "sim_engine"),
        (ExecutionMode.BinanceTestnetSpot, "binance_testnet_spot"),
        (ExecutionMode.BinanceSpot, "binance_spot"),
    ];

    private static readonly (LogFormat Value, string Name)[] s_logFormats =
    [
        (LogFormat.Auto, "auto"),
        (LogFormat.Json, "json"),
        (LogFormat.Text, "text"),
    ];

    /// <summary>All accepted values of <c>VELOZ_MARKET_SOURCE</c>, in documentation order.</summary>
    public static IReadOnlyList<string> MarketSources { get; } = [.. s_marketSources.Select(x => x.Name)];

    /// <summary>All accepted values of <c>VELOZ_EXECUTION_MODE</c>, in documentation order.</summary>
    public static IReadOnlyList<string> ExecutionModes { get; } = [.. s_executionModes.Select(x => x.Name)];

    /// <summary>All accepted values of <c>VELOZ_LOG_FORMAT</c>, in documentation order.</summary>
    public static IReadOnlyList<string> LogFormats { get; } = [.. s_logFormats.Select(x => x.Name)];

    public static string ToWire(this MarketSource value) => s_marketSources.First(x => x.Value == value).Name;

    public static string ToWire(this ExecutionMode value) => s_executionModes.First(x => x.Value == value).Name;

    /// <summary>Exact, case-sensitive match: a near miss must fail rather than silently pick a mode.</summary>
    public static bool TryParseMarketSource(string text, out MarketSource value) => TryParse(s_marketSources, text, out value);

    /// <summary>Exact, case-sensitive match: a near miss must fail rather than silently pick a mode.</summary>
    public static bool TryParseExecutionMode(string text, out ExecutionMode value) => TryParse(s_executionModes, text, out value);

    /// <summary>Exact, case-sensitive match: a near miss must fail rather than silently pick a format.</summary>
    public static bool TryParseLogFormat(string text, out LogFormat value) => TryParse(s_logFormats, text, out value);

    private static bool TryParse<T>((T Value, string Name)[] table, string text, out T value)
        where T : struct
    {
        foreach (var (candidate, name) in table)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
