using System.Security.Cryptography;
using System.Buffers.Text;
using VeloZ.Domain.Configuration;

namespace VeloZ.Push;

/// <summary>
/// The worker's own SignalR hub (used when no <c>AzureSignalRConnectionString</c> is set): the hub name,
/// its client path (the same shape as Azure SignalR Service's <c>/client/?hub=veloz</c>, so clients treat
/// both alike) and the key its HS256 access tokens are signed with. The key is 256 random bits drawn by the
/// worker at each start (<see cref="NewSigningKey"/>), never derived from configuration (a development
/// connection string is public); the worker hands it to the API through its status row in storage, next to
/// the hub's address, so the API signs for exactly the hub it names. It is never logged or shown.
/// </summary>
public static class LocalHub
{
    /// <summary>The hub name of the contract.</summary>
    public const string HubName = "veloz";

    /// <summary>Path the worker maps the hub at.</summary>
    public const string Path = "/client";

    /// <summary>The URL clients connect to, given the hub's base URL (e.g. <c>http://127.0.0.1:8081</c>); also the tokens' audience.</summary>
    public static string ClientUrl(string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}{Path}/?hub={HubName}";
    }

    /// <summary>A fresh token signing key: 256 random bits, base64url.</summary>
    public static Secret NewSigningKey() => new(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
}
