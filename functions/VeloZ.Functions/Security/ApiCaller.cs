using System.Net;
using Microsoft.AspNetCore.Http;
using VeloZ.Domain.Security;

namespace VeloZ.Functions.Security;

/// <summary>
/// Who sent a request, for authorization and the audit trail: the key id (never the key), its scope, and
/// the client's IP address. Without authentication (or on an open endpoint) the caller is
/// <see cref="AnonymousId"/> with no scope.
/// </summary>
public sealed record ApiCaller(string KeyId, ApiScope? Scope, string RemoteIp)
{
    /// <summary>The key id recorded for requests that carry no key (authentication off, or an open endpoint).</summary>
    public const string AnonymousId = "anonymous";

    public bool IsAnonymous => Scope is null;

    public static ApiCaller Anonymous(string remoteIp) => new(AnonymousId, null, remoteIp);
}

/// <summary>Where the pipeline leaves the caller for the functions.</summary>
public static class ApiCallerContext
{
    private static readonly object s_key = new();

    /// <summary>The request's caller as the pipeline admitted it (anonymous if the pipeline did not run).</summary>
    public static ApiCaller Caller(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(s_key, out var value) && value is ApiCaller caller ? caller : ApiCaller.Anonymous(RemoteIp(context));
    }

    internal static void SetCaller(this HttpContext context, ApiCaller caller) => context.Items[s_key] = caller;

    /// <summary>
    /// The client's address. Standalone: the TCP peer. Under the Functions host the worker's ASP.NET Core
    /// integration has already applied the host's <c>X-Forwarded-For</c>, so this is the client, not the host.
    /// </summary>
    public static string RemoteIp(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>True for a loopback peer address.</summary>
    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
