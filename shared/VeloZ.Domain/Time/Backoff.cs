namespace VeloZ.Domain.Time;

/// <summary>
/// Exponential back-off with "equal jitter" for every retry in VeloZ: the wait doubles per attempt up to a cap,
/// half of it fixed and half random, so retries of many instances spread out while a wait never shrinks below
/// half its step (and never shrinks from one attempt to the next before the cap).
/// </summary>
public static class Backoff
{
    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (0 for the first retry): <paramref name="initial"/>
    /// doubled per attempt, capped at <paramref name="max"/>, then half of it fixed and half scaled by
    /// <paramref name="unitRandom"/> (clamped to 0–1; 1 gives the plain exponential step).
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double unitRandom)
    {
        var cap = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        return TimeSpan.FromMilliseconds((cap / 2) + (cap / 2 * Math.Clamp(unitRandom, 0, 1)));
    }

    /// <summary><see cref="Delay"/> with a fresh random jitter.</summary>
    public static TimeSpan JitteredDelay(int attempt, TimeSpan initial, TimeSpan max)
    {
#pragma warning disable CA5394 // Jitter only spreads retries; it protects nothing.
        return Delay(attempt, initial, max, Random.Shared.NextDouble());
#pragma warning restore CA5394
    }

    /// <summary>
    /// Runs <paramref name="call"/> (given the 1-based attempt number) until it returns, waiting with jittered
    /// back-off on the injected <paramref name="clock"/> after each failure that <paramref name="isTransient"/>
    /// accepts; <paramref name="onWaiting"/> hears each such failure before the wait. Any other exception, and
    /// cancellation, end the loop.
    /// </summary>
    public static async Task<T> RetryAsync<T>(
        Func<int, Task<T>> call,
        Func<Exception, bool> isTransient,
        Action<int, Exception> onWaiting,
        TimeSpan initial,
        TimeSpan max,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(isTransient);
        ArgumentNullException.ThrowIfNull(onWaiting);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(attempt).ConfigureAwait(false);
            }
            catch (Exception ex) when (isTransient(ex))
            {
                onWaiting(attempt, ex);
            }

            await Task.Delay(JitteredDelay(attempt - 1, initial, max), clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
