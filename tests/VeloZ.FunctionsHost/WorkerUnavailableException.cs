namespace VeloZ.FunctionsHost;

/// <summary>The worker's stream or process is gone; whatever waited on it cannot complete.</summary>
public sealed class WorkerUnavailableException : Exception
{
    public WorkerUnavailableException()
    {
    }

    public WorkerUnavailableException(string message)
        : base(message)
    {
    }

    public WorkerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
