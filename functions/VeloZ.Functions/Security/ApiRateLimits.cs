using System.Net;
using System.Net.Sockets;
using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Security;

/// <summary>
/// The API's own limits (token buckets per API instance, on the injected clock):
/// <list type="bullet">
/// <item>requests: per key id when the request is authenticated, per client address otherwise —
/// <c>VELOZ_RATE_LIMIT_BURST</c> at once, refilled at <c>VELOZ_RATE_LIMIT_PER_SECOND</c>;</item>
/// <item>failed authentications: per client address, <c>VELOZ_AUTH_FAILURES_PER_MINUTE</c>; once used up,
/// that address's requests without a valid key are answered 429 until the bucket refills. A valid key is
/// never refused by this lockout (many clients may share one address behind a NAT).</item>
/// </list>
/// A client address is an IPv4 address, or an IPv6 address's /64 prefix: one host usually holds a whole
/// /64, so per-address buckets would give it 2^64 of them. State is kept only for buckets that are not
/// full, so it shrinks back to nothing once clients go quiet, and never exceeds
/// <see cref="ClockTokenBuckets.MaxPartitions"/> entries per limit. Refusals carry the wait as <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimits
{
    private readonly ClockTokenBuckets? _requests;
    private readonly ClockTokenBuckets? _authFailures;

    public ApiRateLimits(SecurityOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (options.RateLimitPerSecond > 0)
        {
            _requests = new ClockTokenBuckets(options.RateLimitBurst, options.RateLimitPerSecond, TimeSpan.FromSeconds(1), clock);
        }

        if (options.AuthFailuresPerMinute > 0)
        {
            _authFailures = new ClockTokenBuckets(options.AuthFailuresPerMinute, options.AuthFailuresPerMinute, TimeSpan.FromMinutes(1), clock);
        }
    }

    /// <summary>How many request buckets and failed-authentication buckets hold state now.</summary>
    internal (int Requests, int AuthFailures) TrackedPartitions => (_requests?.Count ?? 0, _authFailures?.Count ?? 0);

    /// <summary>Takes one request from the caller's bucket; null when admitted, else how long to wait.</summary>
    public TimeSpan? TryAdmit(ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return _requests?.TryTake(caller.IsAnonymous ? "ip:" + AddressPartition(caller.RemoteIp) : "key:" + caller.KeyId);
    }

    /// <summary>Whether the address has used up its failed authentications (nothing is taken); null = not.</summary>
    public TimeSpan? AuthFailuresExhausted(string remoteIp) => _authFailures?.Empty(AddressPartition(remoteIp));

    /// <summary>Counts one failed authentication; null while the address is within its budget, else how long to wait.</summary>
    public TimeSpan? RecordAuthFailure(string remoteIp) => _authFailures?.TryTake(AddressPartition(remoteIp));

    /// <summary>The bucket an address belongs to: an IPv4 address itself, an IPv6 address's /64 prefix.</summary>
    public static string AddressPartition(string remoteIp)
    {
        ArgumentNullException.ThrowIfNull(remoteIp);
        if (!IPAddress.TryParse(remoteIp, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return remoteIp;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
