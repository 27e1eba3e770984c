using System.Text.RegularExpressions;
using VeloZ.Domain.Configuration;

namespace VeloZ.Push.Azure;

/// <summary>
/// An Azure SignalR Service connection string, <c>Endpoint=https://x.service.signalr.net;AccessKey=...;Version=1.0;</c>,
/// read the way the service's own SDK reads it: keys are case-insensitive, <c>;</c>-separated, unknown keys ignored;
/// the endpoint's trailing <c>/</c> is trimmed; <c>Port</c> applies to <c>Endpoint</c> only; <c>ClientEndpoint</c>
/// (the URL given to clients) and <c>ServerEndpoint</c> (the URL for REST calls) are optional full URLs;
/// <c>Version</c>, when present, must be <c>1.x</c>.
/// Only access-key authentication is supported: VeloZ signs its tokens with the key.
/// The key is held as a <see cref="Secret"/>; neither <see cref="ToString"/> nor any parse error ever shows it,
/// nor any other value of the string (a missing <c>;</c> could run the key into a neighbouring value).
/// </summary>
public sealed partial class SignalRConnectionString
{
    // Every key the service's SDK knows; only these are ever named in an error (any other "key" could be part of a value).
    private static readonly string[] s_known = ["Endpoint", "AccessKey", "Version", "Port", "ClientEndpoint", "ServerEndpoint", "AuthType", "ClientId", "ClientSecret", "ClientCert", "TenantId"];

    private SignalRConnectionString(Uri endpoint, Uri? clientEndpoint, Uri? serverEndpoint, Secret accessKey, string? version)
    {
        Endpoint = endpoint;
        ClientEndpointOverride = clientEndpoint;
        ServerEndpointOverride = serverEndpoint;
        AccessKey = accessKey;
        Version = version;
    }

    /// <summary>The service endpoint, with <c>Port</c> applied.</summary>
    public Uri Endpoint { get; }

    /// <summary>The <c>ClientEndpoint</c> value, when the connection string has one.</summary>
    public Uri? ClientEndpointOverride { get; }

    /// <summary>The <c>ServerEndpoint</c> value, when the connection string has one.</summary>
    public Uri? ServerEndpointOverride { get; }

    /// <summary>Where SignalR clients connect: <c>ClientEndpoint</c>, else <see cref="Endpoint"/>.</summary>
    public Uri ClientEndpoint => ClientEndpointOverride ?? Endpoint;

    /// <summary>Where REST calls go: <c>ServerEndpoint</c>, else <see cref="Endpoint"/>.</summary>
    public Uri ServerEndpoint => ServerEndpointOverride ?? Endpoint;

    /// <summary>The access key; tokens are signed with its UTF-8 bytes.</summary>
    public Secret AccessKey { get; }

    /// <summary>The <c>Version</c> value (<c>1.x</c>), or null when absent.</summary>
    public string? Version { get; }

    /// <summary>Parses a connection string; a <see cref="FormatException"/> names what is wrong, never a value.</summary>
    public static SignalRConnectionString Parse(Secret connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return Parse(connectionString.Reveal());
    }

    /// <inheritdoc cref="Parse(Secret)"/>
    public static SignalRConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var key = part[..separator].Trim();
            if (!properties.TryAdd(key, part[(separator + 1)..].Trim()))
            {
                throw Error(IsKnown(key) ? $"it has {Canonical(key)} twice" : "a property appears twice");
            }
        }

        if (!properties.TryGetValue("Endpoint", out var endpointText) || endpointText.Length == 0)
        {
            throw Error("Endpoint is missing");
        }

        var endpoint = ParseUrl(endpointText, "Endpoint");
        if (properties.TryGetValue("Port", out var portText))
        {
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, null, out var port) || port is < 1 or > 65535)
            {
                throw Error("Port must be a number from 1 to 65535");
            }

            endpoint = new UriBuilder(endpoint) { Port = port }.Uri;
        }

        Uri? clientEndpoint = properties.TryGetValue("ClientEndpoint", out var clientText) ? ParseUrl(clientText, "ClientEndpoint") : null;
        Uri? serverEndpoint = properties.TryGetValue("ServerEndpoint", out var serverText) ? ParseUrl(serverText, "ServerEndpoint") : null;

        string? version = null;
        if (properties.TryGetValue("Version", out var versionText))
        {
            if (!VersionPattern().IsMatch(versionText))
            {
                throw Error("Version must be 1.x (for example 1.0)");
            }

            version = versionText;
        }

        if (properties.TryGetValue("AuthType", out var authType) && authType.Length > 0)
        {
            throw Error("AuthType is set, but only AccessKey authentication is supported: VeloZ signs SignalR tokens with the access key. Use the resource's connection string with AccessKey=... and no AuthType");
        }

        if (!properties.TryGetValue("AccessKey", out var accessKey) || accessKey.Length == 0)
        {
            throw Error("AccessKey is missing (only AccessKey authentication is supported)");
        }

        return new SignalRConnectionString(endpoint, clientEndpoint, serverEndpoint, new Secret(accessKey), version);
    }

    /// <summary>The connection string with the key replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var text = $"Endpoint={Trimmed(Endpoint)};AccessKey={AccessKey};";
        if (ClientEndpointOverride is not null)
        {
            text += $"ClientEndpoint={Trimmed(ClientEndpointOverride)};";
        }

        if (ServerEndpointOverride is not null)
        {
            text += $"ServerEndpoint={Trimmed(ServerEndpointOverride)};";
        }

        return Version is null ? text : text + $"Version={Version};";
    }

    /// <summary>The URL without its trailing <c>/</c>, the base that paths such as <c>/client/</c> are appended to.</summary>
    internal static string Trimmed(Uri url) => url.AbsoluteUri.TrimEnd('/');

    private static Uri ParseUrl(string text, string name) =>
        Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment)
            ? url
            : throw Error($"{name} must be an absolute http:// or https:// URL without query");

    private static bool IsKnown(string key) => s_known.Contains(key, StringComparer.OrdinalIgnoreCase);

    private static string Canonical(string key) => s_known.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static FormatException Error(string problem) => new($"The Azure SignalR connection string is invalid: {problem}.");

    [GeneratedRegex(@"^1\.\d+(?:[\w\-.]+)?$")]
    private static partial Regex VersionPattern();
}
