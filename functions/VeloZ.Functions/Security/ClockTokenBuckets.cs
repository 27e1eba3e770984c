namespace VeloZ.Functions.Security;

/// <summary>
/// Token buckets per partition on an injected clock: each holds at most <c>limit</c> tokens and gets
/// <c>perPeriod</c> back at the end of every <c>period</c> since it was last refilled.
/// <para>
/// Invariants: a partition whose bucket has refilled to the brim holds no state (it is indistinguishable
/// from a new one), so it is dropped by the sweep that runs at most once per <c>period</c>; the number of
/// partitions held never exceeds <see cref="MaxPartitions"/> — past it, full buckets are dropped at once
/// and, if that is not enough, the fullest ones, so memory is bounded whatever the number of addresses
/// an attacker uses.
/// </para>
/// </summary>
internal sealed class ClockTokenBuckets(int limit, int perPeriod, TimeSpan period, TimeProvider clock)
{
    /// <summary>The most partitions kept at once.</summary>
    public const int MaxPartitions = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = clock.GetUtcNow() + period;

    /// <summary>How many partitions hold state now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Takes one token; null when there was one, else how long until the next refill.</summary>
    public TimeSpan? TryTake(string partition)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            SweepIfDue(now);
            if (!_buckets.TryGetValue(partition, out var bucket))
            {
                if (_buckets.Count >= MaxPartitions)
                {
                    Shrink(now);
                }

                bucket = new Bucket(limit, now);
                _buckets[partition] = bucket;
            }

            Refill(bucket, now);
            if (bucket.Tokens > 0)
            {
                bucket.Tokens--;
                return null;
            }

            return Wait(bucket, now);
        }
    }

    /// <summary>Whether the partition's bucket is empty now (nothing is taken); null = a token is available.</summary>
    public TimeSpan? Empty(string partition)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            SweepIfDue(now);
            if (!_buckets.TryGetValue(partition, out var bucket))
            {
                return null;
            }

            Refill(bucket, now);
            return bucket.Tokens > 0 ? null : Wait(bucket, now);
        }
    }

    private void Refill(Bucket bucket, DateTimeOffset now)
    {
        var periods = (now - bucket.RefilledAt).Ticks / period.Ticks;
        if (periods <= 0)
        {
            return;
        }

        bucket.Tokens = (int)Math.Min(limit, bucket.Tokens + (periods * perPeriod));
        bucket.RefilledAt += TimeSpan.FromTicks(periods * period.Ticks);
    }

    private TimeSpan Wait(Bucket bucket, DateTimeOffset now)
    {
        var wait = bucket.RefilledAt + period - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + period;
        DropFull(now);
    }

    private void DropFull(DateTimeOffset now)
    {
        foreach (var (partition, bucket) in _buckets)
        {
            Refill(bucket, now);
            if (bucket.Tokens >= limit)
            {
                _buckets.Remove(partition);
            }
        }
    }

    private void Shrink(DateTimeOffset now)
    {
        DropFull(now);
        if (_buckets.Count < MaxPartitions)
        {
            return;
        }

        // Every partition is in use: forget the tenth with the most tokens left, which loses the least.
        foreach (var partition in _buckets.OrderByDescending(b => b.Value.Tokens).Take(MaxPartitions / 10).Select(b => b.Key).ToList())
        {
            _buckets.Remove(partition);
        }
    }

    private sealed class Bucket(int tokens, DateTimeOffset refilledAt)
    {
        public int Tokens { get; set; } = tokens;

        public DateTimeOffset RefilledAt { get; set; } = refilledAt;
    }
}
