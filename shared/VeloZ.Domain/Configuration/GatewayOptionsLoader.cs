using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace VeloZ.Domain.Configuration;

/// <summary>
/// Binds and validates every <c>VELOZ_*</c> variable (and <c>AzureWebJobsStorage</c>) at start-up.
/// A wrong value is never replaced by a default: the original gateway silently fell back to <c>sim</c>,
/// and a user who typed <c>binance_tesnet_spot</c> must not trade on a simulator believing it is the
/// exchange. All problems are collected, so one start reports all of them.
/// </summary>
public static partial class GatewayOptionsLoader
{
    public const string Host = "VELOZ_HOST";
    public const string Port = "VELOZ_PORT";
    public const string MarketSource = "VELOZ_MARKET_SOURCE";
    public const string MarketSymbol = "VELOZ_MARKET_SYMBOL";
    public const string BinanceBaseUrl = "VELOZ_BINANCE_BASE_URL";
    public const string ExecutionMode = "VELOZ_EXECUTION_MODE";
    public const string BinanceTradeBaseUrl = "VELOZ_BINANCE_TRADE_BASE_URL";
    public const string BinanceApiKey = "VELOZ_BINANCE_API_KEY";
    public const string BinanceApiSecret = "VELOZ_BINANCE_API_SECRET";
    public const string BinanceWsBaseUrl = "VELOZ_BINANCE_WS_BASE_URL";
    public const string BinanceWsApiUrl = "VELOZ_BINANCE_WS_API_URL";
    public const string AuthEnabled = "VELOZ_AUTH_ENABLED";
    public const string AdminApiKey = "VELOZ_ADMIN_API_KEY";
    public const string RateLimitPerSecond = "VELOZ_RATE_LIMIT_PER_SECOND";
    public const string RateLimitBurst = "VELOZ_RATE_LIMIT_BURST";
    public const string AuthFailuresPerMinute = "VELOZ_AUTH_FAILURES_PER_MINUTE";
    public const string CorsOrigins = "VELOZ_CORS_ORIGINS";
    public const string SimStartPrice = "VELOZ_SIM_START_PRICE";
    public const string SimSeed = "VELOZ_SIM_SEED";
    public const string SimTickMs = "VELOZ_SIM_TICK_MS";
    public const string StorageConnection = "AzureWebJobsStorage";
    public const string StorageAccountName = "AzureWebJobsStorage__accountName";
    public const string StorageTableServiceUri = "AzureWebJobsStorage__tableServiceUri";
    public const string StorageQueueServiceUri = "AzureWebJobsStorage__queueServiceUri";
    public const string StorageBlobServiceUri = "AzureWebJobsStorage__blobServiceUri";
    public const string StorageClientId = "AzureWebJobsStorage__clientId";
    public const string StoragePrefix = "VELOZ_STORAGE_PREFIX";
    public const string AzureSignalRConnection = "AzureSignalRConnectionString";
    public const string HubUrl = "VELOZ_HUB_URL";
    public const string EventRetentionHours = "VELOZ_EVENT_RETENTION_HOURS";
    public const string StreamMaxSeconds = "VELOZ_STREAM_MAX_SECONDS";
    public const string StreamReplayMax = "VELOZ_STREAM_REPLAY_MAX";
    public const string StreamsPerKey = "VELOZ_STREAMS_PER_KEY";
    public const string WorkerLeaseSeconds = "VELOZ_WORKER_LEASE_SECONDS";

    /// <summary>The shortest bootstrap admin key accepted: a guessable key would open everything.</summary>
    public const int MinAdminKeyLength = 16;

    private const int MaxEchoedLength = 80;

    /// <summary>Every variable this loader reads, for documentation and tests.</summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        Host, Port, MarketSource, MarketSymbol, BinanceBaseUrl, ExecutionMode, BinanceTradeBaseUrl,
        BinanceApiKey, BinanceApiSecret, BinanceWsBaseUrl, BinanceWsApiUrl, AuthEnabled, AdminApiKey,
        RateLimitPerSecond, RateLimitBurst, AuthFailuresPerMinute,
        CorsOrigins, SimStartPrice, SimSeed, SimTickMs, StorageConnection, StoragePrefix, AzureSignalRConnection, HubUrl,
        EventRetentionHours, StreamMaxSeconds, StreamReplayMax, StreamsPerKey, WorkerLeaseSeconds,
        StorageAccountName, StorageTableServiceUri, StorageQueueServiceUri, StorageBlobServiceUri, StorageClientId,
    ];

    /// <summary>Reads and validates; throws <see cref="GatewayConfigurationException"/> listing every bad value.</summary>
    public static GatewayOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<ConfigurationError>();
        var defaults = new GatewayOptions();
        string? Read(string name)
        {
            var value = configuration[name];
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var options = new GatewayOptions
        {
            Host = ReadHost(Read(Host), defaults.Host, errors),
            Port = ReadInt(Read(Port), Port, defaults.Port, 0, 65535, errors),
            MarketSource = ReadMode(Read(MarketSource), MarketSource, defaults.MarketSource, WireNames.TryParseMarketSource, WireNames.MarketSources, errors),
            MarketSymbol = ReadSymbol(Read(MarketSymbol), defaults.MarketSymbol, errors),
            BinanceBaseUrl = ReadUrl(Read(BinanceBaseUrl), BinanceBaseUrl, defaults.BinanceBaseUrl, ["https", "http"], errors),
            ExecutionMode = ReadMode(Read(ExecutionMode), ExecutionMode, defaults.ExecutionMode, WireNames.TryParseExecutionMode, WireNames.ExecutionModes, errors),
            BinanceTradeBaseUrl = ReadUrl(Read(BinanceTradeBaseUrl), BinanceTradeBaseUrl, defaults.BinanceTradeBaseUrl, ["https", "http"], errors),
            BinanceApiKey = ReadSecret(Read(BinanceApiKey), BinanceApiKey, errors),
            BinanceApiSecret = ReadSecret(Read(BinanceApiSecret), BinanceApiSecret, errors),
            BinanceWsBaseUrl = ReadUrl(Read(BinanceWsBaseUrl), BinanceWsBaseUrl, defaults.BinanceWsBaseUrl, ["wss", "ws"], errors),
            BinanceWsApiUrl = ReadUrl(Read(BinanceWsApiUrl), BinanceWsApiUrl, defaults.BinanceWsApiUrl, ["wss", "ws"], errors),
            AuthEnabled = ReadBool(Read(AuthEnabled), AuthEnabled, errors),
            AdminApiKey = ReadAdminKey(Read(AdminApiKey), errors),
            RateLimitPerSecond = ReadInt(Read(RateLimitPerSecond), RateLimitPerSecond, defaults.RateLimitPerSecond, 0, 1_000_000, errors),
            RateLimitBurst = ReadInt(Read(RateLimitBurst), RateLimitBurst, defaults.RateLimitBurst, 1, 1_000_000, errors),
            AuthFailuresPerMinute = ReadInt(Read(AuthFailuresPerMinute), AuthFailuresPerMinute, defaults.AuthFailuresPerMinute, 0, 1_000_000, errors),
            CorsOrigins = ReadOrigins(Read(CorsOrigins), defaults.CorsOrigins, errors),
            SimStartPrice = ReadPositiveDecimal(Read(SimStartPrice), SimStartPrice, defaults.SimStartPrice, errors),
            SimSeed = ReadInt(Read(SimSeed), SimSeed, defaults.SimSeed, int.MinValue, int.MaxValue, errors),
            SimTickMs = ReadInt(Read(SimTickMs), SimTickMs, defaults.SimTickMs, 1, 60_000, errors),
            StoragePrefix = ReadStoragePrefix(Read(StoragePrefix), defaults.StoragePrefix, errors),
            AzureSignalRConnectionString = ReadSignalRConnection(Read(AzureSignalRConnection), errors),
            HubUrl = ReadUrl(Read(HubUrl), HubUrl, defaults.HubUrl, ["http", "https"], errors),
            EventRetentionHours = ReadInt(Read(EventRetentionHours), EventRetentionHours, defaults.EventRetentionHours, 1, 24 * 366, errors),
            StreamMaxSeconds = ReadInt(Read(StreamMaxSeconds), StreamMaxSeconds, defaults.StreamMaxSeconds, 0, 86400, errors),
            StreamReplayMax = ReadInt(Read(StreamReplayMax), StreamReplayMax, defaults.StreamReplayMax, 100, 1_000_000, errors),
            StreamsPerKey = ReadInt(Read(StreamsPerKey), StreamsPerKey, defaults.StreamsPerKey, 1, 10_000, errors),
            // Blob storage grants fixed leases of 15 to 60 seconds.
            WorkerLeaseSeconds = ReadInt(Read(WorkerLeaseSeconds), WorkerLeaseSeconds, defaults.WorkerLeaseSeconds, 15, 60, errors),
        };

        options = CheckBinanceMarkets(options, Read, errors);

        // A connection string, when there is one, is used exactly as given. Otherwise the identity-based
        // settings of the Functions convention (AzureWebJobsStorage__accountName, ...; in configuration
        // AzureWebJobsStorage:accountName) name the account; with neither, Azurite's development storage.
        if (Read(StorageConnection) is { } connectionString)
        {
            options = options with { StorageConnectionString = new Secret(connectionString) };
        }
        else if (ReadStorageIdentity(name => Read(name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)), errors) is { } identity)
        {
            options = options with { StorageConnectionString = Secret.Empty, StorageIdentity = identity };
        }

        return errors.Count > 0 ? throw new GatewayConfigurationException(errors) : options;
    }

    /// <summary>
    /// Every Binance URL in use points at one market. Orders go where the execution mode says and nowhere else:
    /// <c>binance_testnet_spot</c> refuses a live host, and <c>binance_spot</c> trades only on URLs named
    /// explicitly (nothing defaults to the live exchange) and prices only from live market data. Testnet trading
    /// may take live prices (a warning, see <see cref="Warnings"/>), and in <c>binance_ws</c> the REST fallback serves the same market as the stream (by default it is derived
    /// from the stream URL), so prices never switch markets when the socket drops. Hosts VeloZ does not know
    /// (the simulated venue, a proxy) are taken as given.
    /// </summary>
    private static GatewayOptions CheckBinanceMarkets(GatewayOptions options, Func<string, string?> read, List<ConfigurationError> errors)
    {
        string[] urls = [BinanceBaseUrl, BinanceTradeBaseUrl, BinanceWsBaseUrl, BinanceWsApiUrl];
        if (errors.Any(e => urls.Contains(e.Variable) || e.Variable is MarketSource or ExecutionMode))
        {
            return options;
        }

        var baseUrlSet = read(BinanceBaseUrl) is not null;
        if (!baseUrlSet && options.MarketSource == Configuration.MarketSource.BinanceWs && BinanceMarkets.RestBaseFor(options.BinanceWsBaseUrl) is { } derived)
        {
            options = options with { BinanceBaseUrl = derived };
        }

        var source = options.MarketSource.ToWire();
        if (options.MarketSource == Configuration.MarketSource.BinanceWs)
        {
            var stream = BinanceMarkets.Of(options.BinanceWsBaseUrl);
            var fallback = BinanceMarkets.Of(options.BinanceBaseUrl);
            if (!baseUrlSet && stream == BinanceMarket.Unrecognised)
            {
                errors.Add(new(BinanceBaseUrl, $"is required with {MarketSource}={source} when {BinanceWsBaseUrl} ({Echo(options.BinanceWsBaseUrl.OriginalString)}) is not a Binance host: name the REST base that serves the same market as the stream"));
            }
            else if (baseUrlSet && stream != BinanceMarket.Unrecognised && fallback != BinanceMarket.Unrecognised && stream != fallback)
            {
                errors.Add(new(BinanceBaseUrl, $"{Echo(options.BinanceBaseUrl.OriginalString)} is {fallback.Describe()} but {BinanceWsBaseUrl} is {stream.Describe()}: the REST fallback must serve the same market as the stream (unset it to derive it from the stream URL)"));
            }
        }

        var mode = options.ExecutionMode;
        var market = mode switch
        {
            Configuration.ExecutionMode.BinanceTestnetSpot => BinanceMarket.Testnet,
            Configuration.ExecutionMode.BinanceSpot => BinanceMarket.Production,
            _ => BinanceMarket.Unrecognised,
        };
        if (market == BinanceMarket.Unrecognised)
        {
            return options;
        }

        var modeName = $"{ExecutionMode}={mode.ToWire()}";
        if (mode == Configuration.ExecutionMode.BinanceSpot)
        {
            // Live trading is opt-in down to the URLs: a default must never send real orders anywhere.
            var missing = new[] { (BinanceTradeBaseUrl, "https://api.binance.com"), (BinanceWsApiUrl, "wss://ws-api.binance.com:443/ws-api/v3") }
                .Where(x => read(x.Item1) is null).ToList();
            foreach (var (variable, example) in missing)
            {
                errors.Add(new(variable, $"is required with {modeName}: name the live URL explicitly, e.g. {example}"));
            }
        }

        var inUse = new List<(string Variable, Uri Url)> { (BinanceTradeBaseUrl, options.BinanceTradeBaseUrl), (BinanceWsApiUrl, options.BinanceWsApiUrl) };
        if (mode == Configuration.ExecutionMode.BinanceSpot)
        {
            // Real orders priced from another market's book would be priced wrong: live trading takes live prices.
            // Testnet trading may follow live prices (the integration guide's own example does), with a warning.
            // A fallback derived from the stream follows it: only the stream is named then.
            inUse.AddRange(MarketDataUrls(options).Where(u => u.Variable != BinanceBaseUrl || baseUrlSet || options.MarketSource != Configuration.MarketSource.BinanceWs));
        }

        foreach (var (variable, url) in inUse)
        {
            if (errors.Any(e => e.Variable == variable))
            {
                continue;
            }

            var actual = BinanceMarkets.Of(url);
            if (actual != BinanceMarket.Unrecognised && actual != market)
            {
                var shown = read(variable) is null ? $"the default {url.OriginalString}" : Echo(url.OriginalString);
                errors.Add(new(variable, $"{shown} is {actual.Describe()} but {modeName} trades on {market.Describe()}: point every Binance URL at that market"));
            }
        }

        return options;
    }

    /// <summary>
    /// Settings that start but deserve a warning in the log: the testnet WebSocket URLs on
    /// <c>testnet.binance.vision</c>, which the testnet no longer serves, and testnet trading on live (or Demo Mode)
    /// market data.
    /// </summary>
    public static IReadOnlyList<ConfigurationError> Warnings(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<ConfigurationError>();
        if (options.MarketSource == Configuration.MarketSource.BinanceWs && BinanceMarkets.IsRetiredTestnetWebSocket(options.BinanceWsBaseUrl))
        {
            warnings.Add(new(BinanceWsBaseUrl, $"{options.BinanceWsBaseUrl.OriginalString} is a retired testnet stream URL (removed by Binance in May 2025); use wss://stream.testnet.binance.vision"));
        }

        if (options.UsesBinanceExecution && BinanceMarkets.IsRetiredTestnetWebSocket(options.BinanceWsApiUrl))
        {
            warnings.Add(new(BinanceWsApiUrl, $"{options.BinanceWsApiUrl.OriginalString} is a retired testnet WebSocket API URL (removed by Binance in May 2025); use wss://ws-api.testnet.binance.vision/ws-api/v3"));
        }

        if (options.ExecutionMode == Configuration.ExecutionMode.BinanceTestnetSpot)
        {
            foreach (var (variable, url) in MarketDataUrls(options))
            {
                if (BinanceMarkets.Of(url) is var market && market is BinanceMarket.Production or BinanceMarket.Demo)
                {
                    warnings.Add(new(variable, $"{url.OriginalString} is {market.Describe()} but orders go to {BinanceMarket.Testnet.Describe()}: prices follow a different order book than the one orders rest on"));
                }
            }
        }

        return warnings;
    }

    /// <summary>The market data URLs the market source uses: the stream and its REST fallback, or the REST base alone.</summary>
    private static IEnumerable<(string Variable, Uri Url)> MarketDataUrls(GatewayOptions options)
    {
        if (options.MarketSource == Configuration.MarketSource.BinanceWs)
        {
            yield return (BinanceWsBaseUrl, options.BinanceWsBaseUrl);
        }

        if (options.MarketSource != Configuration.MarketSource.Sim)
        {
            yield return (BinanceBaseUrl, options.BinanceBaseUrl);
        }
    }

    private static StorageIdentityOptions? ReadStorageIdentity(Func<string, string?> read, List<ConfigurationError> errors)
    {
        var accountName = read(StorageAccountName);
        var (tableText, queueText, blobText) = (read(StorageTableServiceUri), read(StorageQueueServiceUri), read(StorageBlobServiceUri));
        var clientId = read(StorageClientId);
        if (accountName is null && tableText is null && queueText is null && blobText is null)
        {
            if (clientId is not null)
            {
                errors.Add(new(StorageClientId, $"is set but no storage account is: set {StorageAccountName} (or {StorageTableServiceUri}), or a connection string in {StorageConnection}"));
            }

            return null;
        }

        var tableUri = ReadServiceUri(tableText, StorageTableServiceUri, errors);
        var queueUri = ReadServiceUri(queueText, StorageQueueServiceUri, errors);
        var blobUri = ReadServiceUri(blobText, StorageBlobServiceUri, errors);
        if (accountName is not null && !StorageAccountPattern().IsMatch(accountName))
        {
            errors.Add(new(StorageAccountName, $"invalid value {Echo(accountName)}; expected a storage account name (3-24 lower-case letters or digits)"));
            accountName = null;
        }

        if (clientId is not null && !Guid.TryParse(clientId, out _))
        {
            errors.Add(new(StorageClientId, $"invalid value {Echo(clientId)}; expected the client id (a GUID) of a user-assigned managed identity"));
        }

        Uri? Endpoint(Uri? given, string service) =>
            given ?? (accountName is null ? null : new Uri($"https://{accountName}.{service}.core.windows.net"));

        var table = Endpoint(tableUri, "table");
        if (table is null)
        {
            if (!errors.Any(e => e.Variable is StorageAccountName or StorageTableServiceUri))
            {
                errors.Add(new(StorageTableServiceUri, $"is required for identity-based storage when {StorageAccountName} is not set"));
            }

            return null;
        }

        return new StorageIdentityOptions
        {
            AccountName = accountName,
            TableServiceUri = table,
            QueueServiceUri = Endpoint(queueUri, "queue"),
            BlobServiceUri = Endpoint(blobUri, "blob"),
            ClientId = clientId,
        };
    }

    private static Uri? ReadServiceUri(string? text, string variable, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        // A query or user info may carry a SAS token or a password: such a value is not echoed.
        var shown = text.Contains('?', StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal) ? "(not shown)" : Echo(text);
        errors.Add(new(variable, $"invalid value {shown}; expected a storage service URL such as https://myaccount.table.core.windows.net, without query or credentials"));
        return null;
    }

    private static T ReadMode<T>(string? text, string variable, T fallback, TryParse<T> parse, IReadOnlyList<string> allowed, List<ConfigurationError> errors)
        where T : struct
    {
        if (text is null)
        {
            return fallback;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        errors.Add(new(variable, $"invalid value {Echo(text)}; allowed values: {string.Join(", ", allowed)}"));
        return fallback;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static string ReadHost(string? text, string fallback, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (IPAddress.TryParse(text, out _) || text == "localhost" || Uri.CheckHostName(text) == UriHostNameType.Dns)
        {
            return text;
        }

        errors.Add(new(Host, $"invalid value {Echo(text)}; expected an IP address (e.g. 127.0.0.1, 0.0.0.0) or a host name"));
        return fallback;
    }

    private static int ReadInt(string? text, string variable, int fallback, int min, int max, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(new(variable, $"invalid value {Echo(text)}; expected a whole number from {min} to {max}"));
        return fallback;
    }

    private static decimal ReadPositiveDecimal(string? text, string variable, decimal fallback, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0m)
        {
            return value;
        }

        errors.Add(new(variable, $"invalid value {Echo(text)}; expected a positive decimal number such as 42000.5"));
        return fallback;
    }

    private static bool? ReadBool(string? text, string variable, List<ConfigurationError> errors)
    {
        switch (text?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                errors.Add(new(variable, $"invalid value {Echo(text)}; allowed values: true, false"));
                return null;
        }
    }

    private static Uri ReadUrl(string? text, string variable, Uri fallback, string[] schemes, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.Ordinal)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        errors.Add(new(variable, $"invalid value {Echo(text)}; expected an absolute {string.Join(" or ", schemes)} URL without query or credentials"));
        return fallback;
    }

    private static string ReadSymbol(string? text, string fallback, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (Orders.Symbols.Normalize(text) is { } symbol)
        {
            return symbol;
        }

        errors.Add(new(MarketSymbol, $"invalid value {Echo(text)}; expected a Binance symbol such as BTCUSDT (1-20 letters or digits)"));
        return fallback;
    }

    private static IReadOnlyList<string> ReadOrigins(string? text, IReadOnlyList<string> fallback, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        var origins = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var origin in origins)
        {
            var valid = origin == "*" || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && origin.TrimEnd('/').Length == uri.GetLeftPart(UriPartial.Authority).Length);
            if (!valid)
            {
                errors.Add(new(CorsOrigins, $"invalid origin {Echo(origin)}; expected '*' or origins such as https://app.example.com, comma-separated"));
                return fallback;
            }
        }

        return origins.Length == 0 ? fallback : [.. origins.Select(o => o.TrimEnd('/'))];
    }

    private static string ReadStoragePrefix(string? text, string fallback, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (StoragePrefixPattern().IsMatch(text))
        {
            return text;
        }

        errors.Add(new(StoragePrefix, $"invalid value {Echo(text)}; expected 1-24 lower-case letters or digits, starting with a letter"));
        return fallback;
    }

    private static Secret ReadSignalRConnection(string? text, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return Secret.Empty;
        }

        // Shape only (the full parse is VeloZ.Push's); the value carries an access key and is never echoed.
        var keys = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0].Trim().ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        if (!keys.Contains("endpoint") || !keys.Contains("accesskey"))
        {
            errors.Add(new(AzureSignalRConnection, "invalid value (not shown); expected Endpoint=https://<name>.service.signalr.net;AccessKey=<key>;Version=1.0;"));
            return Secret.Empty;
        }

        return new Secret(text);
    }

    private static Secret ReadSecret(string? text, string variable, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return Secret.Empty;
        }

        // In Azure the platform replaces "@Microsoft.KeyVault(...)" by the secret; left as it is, the secret is
        // missing or the app's identity may not read it. Signing with the reference text would only get
        // rejections from the venue, so the process refuses to start and says why.
        if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new(variable, "is an unresolved Key Vault reference: the secret does not exist yet or the app's managed identity may not read it (see docs/deployment.md)"));
            return Secret.Empty;
        }

        // The value itself is never echoed: it is a credential.
        if (text.Any(char.IsControl) || text.Any(char.IsWhiteSpace))
        {
            errors.Add(new(variable, "invalid value (not shown); it contains white space or control characters"));
            return Secret.Empty;
        }

        return new Secret(text);
    }

    private static Secret ReadAdminKey(string? text, List<ConfigurationError> errors)
    {
        var key = ReadSecret(text, AdminApiKey, errors);
        if (!key.IsEmpty && key.Reveal().Length < MinAdminKeyLength)
        {
            errors.Add(new(AdminApiKey, $"invalid value (not shown); it must be at least {MinAdminKeyLength} characters, e.g. the output of 'openssl rand -hex 32'"));
            return Secret.Empty;
        }

        return key;
    }

    /// <summary>Quotes a bad value for the one-line error, with control characters escaped and length capped.</summary>
    private static string Echo(string text)
    {
        var builder = new StringBuilder("'");
        foreach (var c in text.Length > MaxEchoedLength ? text[..MaxEchoedLength] : text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        if (text.Length > MaxEchoedLength)
        {
            builder.Append('…');
        }

        return builder.Append('\'').ToString();
    }

    [GeneratedRegex("^[a-z][a-z0-9]{0,23}$", RegexOptions.CultureInvariant)]
    private static partial Regex StoragePrefixPattern();

    [GeneratedRegex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageAccountPattern();
}
