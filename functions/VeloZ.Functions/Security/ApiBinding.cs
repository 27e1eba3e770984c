using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Security;

/// <summary>
/// Where the API accepts connections. Standalone, <c>VELOZ_HOST</c> is resolved once, here, to the
/// addresses Kestrel binds; whether authentication may be off is decided from the same list
/// (<see cref="LoopbackOnly"/>), so what is bound and what is protected can never disagree.
/// Under the Azure Functions host the worker binds nothing public and cannot see how far the host's
/// HTTP front is exposed: there is no address list and <see cref="LoopbackOnly"/> is false.
/// </summary>
/// <remarks>
/// <c>VELOZ_HOST</c>: an IP address is bound as it is (<c>0.0.0.0</c> and <c>::</c> mean every interface);
/// <c>localhost</c>, in any casing, is 127.0.0.1 and ::1; any other host name is looked up once at start and
/// each of its addresses is bound (a name that resolves to nothing stops the start).
/// </remarks>
public sealed class ApiBinding
{
    private readonly bool _localhost;

    private ApiBinding(ApiHostKind host, string setting, int port, IReadOnlyList<IPAddress> addresses, bool localhost)
    {
        Host = host;
        Setting = setting;
        Port = port;
        Addresses = addresses;
        _localhost = localhost;
    }

    /// <summary>The API runs under the Azure Functions host: the host owns the listening socket.</summary>
    public static ApiBinding FunctionsHost { get; } = new(ApiHostKind.FunctionsHost, "", 0, [], localhost: false);

    /// <summary>Which host runs the API.</summary>
    public ApiHostKind Host { get; }

    /// <summary><c>VELOZ_HOST</c> as configured (empty under the Functions host).</summary>
    public string Setting { get; }

    /// <summary><c>VELOZ_PORT</c>.</summary>
    public int Port { get; }

    /// <summary>Every address the standalone API listens on; empty under the Functions host.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>True only for a standalone API whose every bound address is a loopback address.</summary>
    public bool LoopbackOnly => Host == ApiHostKind.Standalone && Addresses.Count > 0 && Addresses.All(IsLoopback);

    /// <summary>True when <see cref="Setting"/> is an IP address rather than a name.</summary>
    public bool SettingIsAddress => IPAddress.TryParse(Setting, out _);

    /// <summary>
    /// Resolves <c>VELOZ_HOST</c> for the standalone host; throws <see cref="GatewayConfigurationException"/>
    /// when a host name resolves to no address. <paramref name="lookUp"/> is the DNS look-up (tests pass their own).
    /// </summary>
    public static ApiBinding Standalone(ApiOptions options, Func<string, IPAddress[]>? lookUp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = options.Host;
        if (IPAddress.TryParse(host, out var address))
        {
            return new(ApiHostKind.Standalone, host, options.Port, [address], localhost: false);
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel binds both loopback addresses for "localhost", but cannot give them one dynamic
            // port: with port 0 only 127.0.0.1 is bound.
            IPAddress[] loopback = options.Port != 0 && Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
            return new(ApiHostKind.Standalone, host, options.Port, loopback, localhost: options.Port != 0);
        }

        IPAddress[] resolved;
        try
        {
            resolved = (lookUp ?? Dns.GetHostAddresses)(host);
        }
        catch (SocketException)
        {
            resolved = [];
        }

        if (resolved.Length == 0)
        {
            throw new GatewayConfigurationException([new ConfigurationError(ConfigurationVariables.Host, $"'{host}' does not resolve to an address; set an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface) or a name that resolves")]);
        }

        return new(ApiHostKind.Standalone, host, options.Port, [.. resolved.Distinct()], localhost: false);
    }

    /// <summary>127.0.0.0/8 and ::1 (also written as an IPv4-mapped IPv6 address).</summary>
    public static bool IsLoopback(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    /// <summary>The addresses, for log lines and errors: <c>127.0.0.1</c>, <c>[::1]</c>.</summary>
    public string DescribeAddresses() =>
        string.Join(", ", Addresses.Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString()));

    /// <summary>Tells Kestrel to listen on exactly <see cref="Addresses"/>.</summary>
    internal void Listen(KestrelServerOptions kestrel)
    {
        if (Host != ApiHostKind.Standalone)
        {
            throw new InvalidOperationException("Under the Functions host the host owns the listening socket.");
        }

        if (_localhost)
        {
            // Kestrel's own "localhost" binding: both loopback addresses, and it carries on when IPv6 is
            // disabled on the machine rather than failing the start.
            kestrel.ListenLocalhost(Port);
            return;
        }

        foreach (var address in Addresses)
        {
            kestrel.Listen(address, Port);
        }
    }
}
