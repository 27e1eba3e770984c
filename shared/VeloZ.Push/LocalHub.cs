using System.Security.Cryptography;
using System.Text;
using VeloZ.Domain.Configuration;

namespace VeloZ.Push;

/// <summary>
/// The worker's own SignalR hub (used when no <c>AzureSignalRConnectionString</c> is set): the hub name,
/// its client path (the same shape as Azure SignalR Service's <c>/client/?hub=veloz</c>, so clients treat
/// both alike) and the key its HS256 access tokens are signed with. The key is derived from the storage
/// connection string, which the API and the worker already share, so the self-hosted mode needs no extra
/// secret; it is never logged or shown.
/// </summary>
public static class LocalHub
{
    /// <summary>The hub name of the contract.</summary>
    public const string HubName = "veloz";

    /// <summary>Path the worker maps the hub at.</summary>
    public const string Path = "/client";

    /// <summary>The URL clients connect to, given the hub's base URL (e.g. <c>http://127.0.0.1:8081</c>).</summary>
    public static string ClientUrl(string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}{Path}/?hub={HubName}";
    }

    /// <summary>The token signing key for this deployment's storage.</summary>
    public static Secret SigningKey(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.StorageConnectionString.IsEmpty)
        {
            // Identity-based storage has no shared secret to derive the key from: use Azure SignalR Service.
            throw new GatewayConfigurationException([new ConfigurationError(GatewayOptionsLoader.AzureSignalRConnection, "is required when storage is reached by managed identity (the self-hosted hub derives its token key from a storage connection string)")]);
        }

        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.StorageConnectionString.Reveal()), Encoding.UTF8.GetBytes("veloz-local-hub-v1/" + options.StoragePrefix));
        return new Secret(Convert.ToBase64String(mac));
    }
}
