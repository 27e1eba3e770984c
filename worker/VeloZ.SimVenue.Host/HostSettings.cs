using System.Globalization;
using Microsoft.Extensions.Logging;

namespace VeloZ.SimVenue.Host;

/// <summary>
/// Command-line flags (<c>--name value</c>) and their environment variables (<c>VELOZ_SIM_NAME</c>); a flag wins
/// over its variable. A bad value stops the host with a message naming the setting and what it accepts.
/// </summary>
internal sealed class HostSettings
{
    public static readonly (string Flag, string Help)[] Flags =
    [
        ("port", "loopback port, 0 = any free port (default 7800)"),
        ("seed", "price path seed (default 42)"),
        ("tick-ms", "price path step interval in ms, 0 = only on /sim/step (default 1000)"),
        ("start-price", "BTCUSDT start price (default 50000)"),
        ("liquidity", "BTC offered per side per tick (default 1)"),
        ("api-key", "an extra API key (64 letters/digits); needs --secret-key"),
        ("secret-key", "the secret of --api-key"),
        ("weight-limit", "REQUEST_WEIGHT per minute (default 6000)"),
        ("order-fault-rate", "share 0..1 of order placements answered with the fault below after executing (default 0)"),
        ("order-fault-kind", "ServerError | BackendTimeout | NoResponse (default ServerError)"),
        ("message-delay-ms", "delay added to every WebSocket message (default 0)"),
        ("clock-skew-ms", "offset added to the venue clock (default 0)"),
        ("no-control", "switch: do not serve the /sim/... control endpoints"),
    ];

    public int Port { get; private set; } = 7800;

    private Func<ILoggerFactory?, SimVenueOptions> _options = _ => new SimVenueOptions();

    public double OrderFaultRate { get; private set; }

    public OrderFaultKind OrderFaultKind { get; private set; }

    public TimeSpan MessageDelay { get; private set; }

    public TimeSpan ClockSkew { get; private set; }

    public SimVenueOptions CreateOptions(ILoggerFactory? loggerFactory) => _options(loggerFactory);

    public static HostSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (flag, _) in Flags)
        {
            if (environment("VELOZ_SIM_" + flag.Replace('-', '_').ToUpperInvariant()) is { Length: > 0 } value)
            {
                values[flag] = value;
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !Flags.Any(f => f.Flag == arg[2..]))
            {
                throw new ArgumentException($"Unknown argument '{arg}'. Run with --help for the flags.");
            }

            var name = arg[2..];
            if (name == "no-control")
            {
                values[name] = "true";
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"--{name} needs a value.");
            }

            values[name] = args[++i];
        }

        var settings = new HostSettings();
        var port = Int(values, "port", 7800, 0, 65535);
        var startPrice = Dec(values, "start-price", 50_000m);
        var liquidity = Dec(values, "liquidity", 1m);
        var keys = new List<SimApiKey>();
        if (values.TryGetValue("api-key", out var apiKey))
        {
            if (!values.TryGetValue("secret-key", out var secret))
            {
                throw new ArgumentException("--api-key needs --secret-key (or VELOZ_SIM_SECRET_KEY).");
            }

            keys.Add(new SimApiKey(apiKey, secret));
        }

        keys.AddRange(SimApiKey.Defaults.Where(d => keys.All(k => k.ApiKey != d.ApiKey)));
        settings.Port = port;
        var seed = Int(values, "seed", 42, int.MinValue, int.MaxValue);
        var tick = TimeSpan.FromMilliseconds(Int(values, "tick-ms", 1000, 0, int.MaxValue));
        var weightLimit = Int(values, "weight-limit", 6000, 1, int.MaxValue);
        var control = !(values.TryGetValue("no-control", out var noControl) && noControl.Equals("true", StringComparison.OrdinalIgnoreCase));
        settings._options = loggerFactory => new SimVenueOptions
        {
            Port = port,
            Seed = seed,
            PriceTickInterval = tick,
            Symbols = [new SimSymbolOptions { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", StartPrice = startPrice, LiquidityPerTick = liquidity }],
            ApiKeys = keys,
            RequestWeightPerMinute = weightLimit,
            EnableControlEndpoints = control,
            LoggerFactory = loggerFactory,
        };
        settings.OrderFaultRate = values.TryGetValue("order-fault-rate", out var rate)
            ? double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1 ? r : throw Invalid("order-fault-rate", rate, "a number from 0 to 1")
            : 0;
        settings.OrderFaultKind = values.TryGetValue("order-fault-kind", out var kind)
            ? Enum.TryParse<OrderFaultKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) ? k : throw Invalid("order-fault-kind", kind, "ServerError, BackendTimeout or NoResponse")
            : OrderFaultKind.ServerError;
        settings.MessageDelay = TimeSpan.FromMilliseconds(Int(values, "message-delay-ms", 0, 0, int.MaxValue));
        settings.ClockSkew = TimeSpan.FromMilliseconds(Int(values, "clock-skew-ms", 0, int.MinValue, int.MaxValue));
        return settings;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(name, text, $"an integer from {min} to {max}");
    }

    private static decimal Dec(Dictionary<string, string> values, string name, decimal fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Invalid(name, text, "a positive decimal number");
    }

    private static ArgumentException Invalid(string name, string value, string allowed) =>
        new($"--{name} (VELOZ_SIM_{name.Replace('-', '_').ToUpperInvariant()}) is '{value}'; it must be {allowed}.");
}
