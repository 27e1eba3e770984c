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
