namespace VeloZ.Functions.Runtime;

/// <summary>
/// A value read from storage that the order path may reuse for a while (the worker's status, the trading
/// mode), refreshed ahead of time so no request waits for the read: a value younger than
/// <c>refreshAfter</c> is used as is; one younger than <c>maxAge</c> is used while one background read
/// replaces it; an older one (or none) is read before answering, one read shared by every request waiting
/// for it. So a value is never older than <c>maxAge</c>, and under steady traffic no request pays for a read.
/// A failed background read is forgotten (the value then ages out and the next inline read reports the failure).
/// </summary>
public sealed class RecentValue<T>(TimeSpan refreshAfter, TimeSpan maxAge, TimeProvider clock)
    where T : class
{
    private readonly Lock _gate = new();
    private volatile Entry? _entry;
    private Task<T>? _reading;

    /// <summary>The value, at most <c>maxAge</c> old.</summary>
    public async Task<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (_entry is { } entry)
        {
            var age = clock.GetUtcNow() - entry.ReadAt;
            if (age < refreshAfter)
            {
                return entry.Value;
            }

            if (age < maxAge)
            {
                _ = StartRead(read).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return entry.Value;
            }
        }

        return await StartRead(read).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The value last read or set, whatever its age, without reading; null before the first.</summary>
    public T? Latest => _entry?.Value;

    /// <summary>A value known to be current (the caller just wrote or read it).</summary>
    public void Set(T value) => _entry = new Entry(value, clock.GetUtcNow());

    private Task<T> StartRead(Func<CancellationToken, Task<T>> read)
    {
        lock (_gate)
        {
            return _reading ??= ReadAsync(read);
        }
    }

    private async Task<T> ReadAsync(Func<CancellationToken, Task<T>> read)
    {
        // Shared by every waiter, so no single request's cancellation stops it. It yields first so that
        // StartRead has stored this task before the finally below clears it.
        await Task.Yield();
        try
        {
            var started = clock.GetUtcNow();
            var value = await read(CancellationToken.None).ConfigureAwait(false);
            _entry = new Entry(value, started);
            return value;
        }
        finally
        {
            lock (_gate)
            {
                _reading = null;
            }
        }
    }

    private sealed record Entry(T Value, DateTimeOffset ReadAt);
}
