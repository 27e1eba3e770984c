using Azure;

namespace VeloZ.Storage;

/// <summary>
/// The state store could not be reached or answered with a server error. The API turns this into
/// 503 <c>storage_unavailable</c>; the worker retries. The message never contains the connection string.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : base("The state store is unavailable.")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Runs storage calls, turning transport failures and server errors into <see cref="StorageUnavailableException"/>.</summary>
internal static class StorageCalls
{
    /// <param name="service">The service named in the message, e.g. <c>Table storage</c>.</param>
    /// <param name="call">The storage call.</param>
    public static async Task<T> GuardAsync<T>(string service, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 0 || ex.Status >= 500)
        {
            throw new StorageUnavailableException($"{service} failed (HTTP {ex.Status}, {ex.ErrorCode ?? "no error code"}).", ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is RequestFailedException or HttpRequestException or TaskCanceledException or IOException))
        {
            // Azure.Core throws AggregateException when every retry failed at the transport level.
            throw new StorageUnavailableException($"{service} is unreachable.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new StorageUnavailableException($"{service} is unreachable.", ex);
        }
    }
}
