using System.Threading.RateLimiting;
using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Security;

/// <summary>
/// The API's own limits (System.Threading.RateLimiting token buckets, per API instance):
/// <list type="bullet">
/// <item>requests: per key id when the request is authenticated, per client IP otherwise —
/// <c>VELOZ_RATE_LIMIT_BURST</c> at once, refilled at <c>VELOZ_RATE_LIMIT_PER_SECOND</c>;</item>
/// <item>failed authentications: per client IP, <c>VELOZ_AUTH_FAILURES_PER_MINUTE</c>; once used up, that
/// IP's requests that need a key are answered 429 before any key is looked up, until the bucket refills.</item>
/// </list>
/// Refusals carry the limiter's own wait as <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimits : IDisposable
{
    private static readonly TimeSpan s_fallbackWait = TimeSpan.FromSeconds(1);

    private readonly PartitionedRateLimiter<string>? _requests;
    private readonly PartitionedRateLimiter<string>? _authFailures;
    private readonly TimeProvider _clock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lockedOut = new(StringComparer.Ordinal);

    public ApiRateLimits(GatewayOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        if (options.RateLimitPerSecond > 0)
        {
            _requests = Buckets(options.RateLimitBurst, options.RateLimitPerSecond, TimeSpan.FromSeconds(1));
        }

        if (options.AuthFailuresPerMinute > 0)
        {
            _authFailures = Buckets(options.AuthFailuresPerMinute, options.AuthFailuresPerMinute, TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>Takes one request from the caller's bucket; null when admitted, else how long to wait.</summary>
    public TimeSpan? TryAdmit(ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (_requests is null)
        {
            return null;
        }

        var partition = caller.IsAnonymous ? "ip:" + caller.RemoteIp : "key:" + caller.KeyId;
        using var lease = _requests.AttemptAcquire(partition);
        return lease.IsAcquired ? null : WaitOf(lease);
    }

    /// <summary>Whether the IP has used up its failed authentications (nothing is taken); null = not.</summary>
    public TimeSpan? AuthFailuresExhausted(string remoteIp)
    {
        // A zero-permit probe of a token bucket can succeed with no tokens left, so the lockout is
        // remembered explicitly when a recorded failure finds the bucket empty.
        if (_authFailures is null || !_lockedOut.TryGetValue(remoteIp, out var until))
        {
            return null;
        }

        var left = until - _clock.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            return left;
        }

        _lockedOut.TryRemove(remoteIp, out _);
        return null;
    }

    /// <summary>Counts one failed authentication; null while the IP is within its budget, else how long to wait.</summary>
    public TimeSpan? RecordAuthFailure(string remoteIp)
    {
        if (_authFailures is null)
        {
            return null;
        }

        using var lease = _authFailures.AttemptAcquire(remoteIp);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = WaitOf(lease);
        _lockedOut[remoteIp] = _clock.GetUtcNow() + wait;
        return wait;
    }

    public void Dispose()
    {
        _requests?.Dispose();
        _authFailures?.Dispose();
    }

    private static PartitionedRateLimiter<string> Buckets(int burst, int perPeriod, TimeSpan period) =>
        PartitionedRateLimiter.Create<string, string>(
            partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }),
            StringComparer.Ordinal);

    private static TimeSpan WaitOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : s_fallbackWait;
}
