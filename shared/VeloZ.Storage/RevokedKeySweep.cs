namespace VeloZ.Storage;

/// <summary>
/// What ends the open streams and hub connections of a revoked API key, in the API and in the worker alike: every
/// <see cref="Interval"/>, each key id that holds something is checked, and the holdings of a key that is no longer
/// active are ended. While storage is unreachable nothing is ended: nothing new is known about the key.
/// </summary>
public static class RevokedKeySweep
{
    /// <summary>How often the holders are checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the sweep until <paramref name="cancellationToken"/> ends it.</summary>
    /// <param name="holders">The key ids that hold something now.</param>
    /// <param name="isActive">Whether a key id may go on holding (through the caller's key cache).</param>
    /// <param name="end">Ends what a key id holds.</param>
    /// <param name="checkFailed">Hears a key id whose check met a storage outage, with the reason.</param>
    /// <param name="clock">The clock the interval is measured on.</param>
    /// <param name="cancellationToken">Ends the sweep.</param>
    /// <param name="beforePass">Runs before each pass with the holders of that pass (e.g. to forget cached keys nobody holds).</param>
    public static async Task RunAsync(
        Func<IReadOnlyCollection<string>> holders,
        Func<string, CancellationToken, Task<bool>> isActive,
        Action<string> end,
        Action<string, string> checkFailed,
        TimeProvider clock,
        CancellationToken cancellationToken,
        Action<IReadOnlyCollection<string>>? beforePass = null)
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(isActive);
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(checkFailed);
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var pass = holders();
                beforePass?.Invoke(pass);
                foreach (var keyId in pass)
                {
                    try
                    {
                        if (!await isActive(keyId, cancellationToken).ConfigureAwait(false))
                        {
                            end(keyId);
                        }
                    }
                    catch (StorageUnavailableException ex)
                    {
                        checkFailed(keyId, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
