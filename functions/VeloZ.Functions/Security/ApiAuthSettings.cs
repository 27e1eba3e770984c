using System.Net;
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
/// Whether the API requires API keys, and why. <c>VELOZ_AUTH_ENABLED</c> decides when set. Otherwise
/// authentication is on under the Azure Functions host (its HTTP front is reachable from wherever the
/// Function App is, and the worker cannot see how far that is) and when the standalone API binds to an
/// address other than loopback; it is off only for a standalone API on loopback (the local dev default).
/// </summary>
/// <param name="Enabled">Whether requests need a key.</param>
/// <param name="Reason">Why, for the start-up log line.</param>
/// <param name="ExplicitlyDisabled">Off because <c>VELOZ_AUTH_ENABLED=false</c> (warned about on every start).</param>
public sealed record ApiAuthSettings(bool Enabled, string Reason, bool ExplicitlyDisabled)
{
    public static ApiAuthSettings Resolve(GatewayOptions options, ApiHostKind host)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AuthEnabled switch
        {
            true => new(true, $"{GatewayOptionsLoader.AuthEnabled}=true", false),
            false => new(false, $"{GatewayOptionsLoader.AuthEnabled}=false", true),
            null when host == ApiHostKind.FunctionsHost => new(true, "running under the Azure Functions host", false),
            null when IsLoopback(options.Host) => new(false, $"{GatewayOptionsLoader.Host} {options.Host} is a loopback address", false),
            null => new(true, $"{GatewayOptionsLoader.Host} {options.Host} is not a loopback address", false),
        };
    }

    /// <summary>127.0.0.0/8, ::1 and <c>localhost</c>; anything else (0.0.0.0, a LAN address, a host name) is reachable from elsewhere.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
