using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Security;

/// <summary>Which host runs the API: it decides whether authentication is on by default.</summary>
public enum ApiHostKind
{
    /// <summary>Standalone on Kestrel at <c>VELOZ_HOST:VELOZ_PORT</c>.</summary>
    Standalone,

    /// <summary>Launched by the Azure Functions host (in Azure, or <c>func start</c>).</summary>
    FunctionsHost,
}

/// <summary>
/// Whether the API requires API keys, and why. Authentication may be off only where nobody but this
/// machine can connect: a standalone API whose every bound address is loopback (<see cref="ApiBinding.LoopbackOnly"/>,
/// the same list Kestrel binds). <c>VELOZ_AUTH_ENABLED</c> decides when set, within that rule; otherwise
/// authentication is off on loopback and on everywhere else, including under the Azure Functions host (its
/// HTTP front is reachable from wherever the Function App is, and the worker cannot see how far that is).
/// </summary>
/// <param name="Enabled">Whether requests need a key.</param>
/// <param name="Reason">Why, for the start-up log line.</param>
/// <param name="ExplicitlyDisabled">Off because <c>VELOZ_AUTH_ENABLED=false</c> (warned about on every start).</param>
public sealed record ApiAuthSettings(bool Enabled, string Reason, bool ExplicitlyDisabled)
{
    /// <summary>
    /// Decides; throws <see cref="GatewayConfigurationException"/> (one line per problem) when authentication
    /// would be off on an address other machines can reach, or off while trading live (<c>binance_spot</c>).
    /// </summary>
    public static ApiAuthSettings Resolve(GatewayOptions options, ApiBinding binding)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(binding);
        var where = binding.SettingIsAddress ? binding.Setting : $"{binding.Setting} ({binding.DescribeAddresses()})";
        var auth = options.Security.AuthEnabled switch
        {
            true => new ApiAuthSettings(true, $"{ConfigurationVariables.AuthEnabled}=true", false),
            false => new ApiAuthSettings(false, $"{ConfigurationVariables.AuthEnabled}=false", true),
            null when binding.Host == ApiHostKind.FunctionsHost => new ApiAuthSettings(true, "running under the Azure Functions host", false),
            null when binding.LoopbackOnly => new ApiAuthSettings(false, $"{ConfigurationVariables.Host} {where} is a loopback address", false),
            null => new ApiAuthSettings(true, $"{ConfigurationVariables.Host} {where} is not a loopback address", false),
        };

        var errors = new List<ConfigurationError>();
        if (!auth.Enabled && binding.Host == ApiHostKind.Standalone && !binding.LoopbackOnly)
        {
            errors.Add(new(ConfigurationVariables.AuthEnabled, $"false is refused: {ConfigurationVariables.Host} {where} is reachable from other machines; listen on 127.0.0.1, ::1 or localhost, or leave authentication on"));
        }

        if (!auth.Enabled && options.Venue.ExecutionMode == ExecutionMode.BinanceSpot)
        {
            errors.Add(new(ConfigurationVariables.ExecutionMode, $"binance_spot trades real money and needs API authentication, which is off ({auth.Reason}); set {ConfigurationVariables.AuthEnabled}=true and {ConfigurationVariables.AdminApiKey}"));
        }

        return errors.Count > 0 ? throw new GatewayConfigurationException(errors) : auth;
    }
}
