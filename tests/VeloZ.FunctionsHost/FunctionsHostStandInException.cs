namespace VeloZ.FunctionsHost;

/// <summary>
/// The stand-in could not start or serve the worker: the app folder is not a publish output, the worker
/// exited, or the handshake did not complete in time. The message carries the worker's exit code (when
/// it exited) and its last log lines.
/// </summary>
public sealed class FunctionsHostStandInException : Exception
{
    public FunctionsHostStandInException()
    {
    }

    public FunctionsHostStandInException(string message)
        : base(message)
    {
    }

    public FunctionsHostStandInException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FunctionsHostStandInException(string message, int? exitCode, IReadOnlyList<string> workerLogTail, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
        WorkerLogTail = workerLogTail;
    }

    /// <summary>The worker's exit code, when it had exited.</summary>
    public int? ExitCode { get; }

    /// <summary>The worker's last log lines at the time of the failure.</summary>
    public IReadOnlyList<string> WorkerLogTail { get; } = [];
}
