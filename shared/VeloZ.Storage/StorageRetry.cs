using VeloZ.Domain.Time;

namespace VeloZ.Storage;

/// <summary>Waits out a storage outage: the one retry loop of callers that cannot go on without storage.</summary>
public static class StorageRetry
{
    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="call"/> (given the 1-based attempt number) until it does not throw
    /// <see cref="StorageUnavailableException"/>, waiting with jittered exponential back-off from
    /// <paramref name="initial"/> up to <see cref="MaxDelay"/>; <paramref name="onWaiting"/> hears each failed
    /// attempt with its reason. Other exceptions and cancellation end the loop.
    /// </summary>
    public static Task<T> UntilAnswersAsync<T>(
        Func<int, Task<T>> call,
        Action<int, string> onWaiting,
        TimeSpan initial,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onWaiting);
        return Backoff.RetryAsync(
            call,
            ex => ex is StorageUnavailableException,
            (attempt, ex) => onWaiting(attempt, ex.Message),
            initial,
            MaxDelay,
            clock,
            cancellationToken);
    }
}
