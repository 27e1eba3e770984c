namespace VeloZ.Bench;

/// <summary>
/// Latencies in 10 µs buckets up to 10 s (longer ones in the last bucket), recorded lock-free by many
/// threads without allocating, so the load generator's own cost stays small and constant.
/// </summary>
internal sealed class LatencyHistogram
{
    private const long BucketNs = 10_000;
    private const int Buckets = 1_000_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private long _count;
    private long _maxNs;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMs => Interlocked.Read(ref _maxNs) / 1e6;

    public void Record(long ns)
    {
        if (ns < 0)
        {
            ns = 0;
        }

        Interlocked.Increment(ref _counts[Math.Min(ns / BucketNs, Buckets)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _maxNs);
        while (ns > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxNs, ns, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The latency (ms, upper edge of its bucket) under which a share <paramref name="q"/> of the samples fall.</summary>
    public double PercentileMs(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i <= Buckets; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min((i + 1) * BucketNs / 1e6, MaxMs);
            }
        }

        return MaxMs;
    }
}
