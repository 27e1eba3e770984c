using System.Globalization;
using VeloZ.Testing;

namespace VeloZ.FunctionsHost;

/// <summary>
/// The worker process, launched as the host launches a dotnet-isolated worker: the executable and worker
/// path from <c>worker.config.json</c>, the legacy and the <c>--functions-*</c> arguments (worker 2.x reads
/// only the latter), the app settings plus the host's own variables as environment, the app folder as
/// working directory. Its stdout/stderr lines go to the <see cref="WorkerLog"/> (an isolated worker logs
/// through <c>RpcLog</c>; only start-up failures and crashes print here).
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const string MaxMessageLength = "2147483647";

    private readonly ChildProcess _child;
    private readonly WorkerLog _log;
    private readonly CancellationTokenSource _stopPump = new();
    private readonly Lock _forwardLock = new();
    private readonly Task _pump;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _forwarded;

    private WorkerProcess(ChildProcess child, WorkerLog log)
    {
        _child = child;
        _log = log;
        _pump = PumpAsync(_stopPump.Token);
        _ = WatchExitAsync();
    }

    /// <summary>Completes with the exit code when the worker exits (its output forwarded by then).</summary>
    public Task<int> Exited => _exited.Task;

    public int? ExitCode => _exited.Task.IsCompletedSuccessfully ? _exited.Task.Result : null;

    public static WorkerProcess Start(PublishedApp app, Uri grpcAddress, string workerId, IReadOnlyDictionary<string, string?> environment, WorkerLog log)
    {
        var requestId = Guid.NewGuid().ToString();
        var port = grpcAddress.Port.ToString(CultureInfo.InvariantCulture);
        var executable = app.Executable;
        List<string> arguments =
        [
            app.WorkerPath,
            "--host", grpcAddress.Host, "--port", port, "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", MaxMessageLength,
            "--functions-uri", grpcAddress.AbsoluteUri, "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", MaxMessageLength,
        ];
        log.AddNote($"Launching {executable} {string.Join(' ', arguments)} in {app.Directory}");
        var child = ChildProcess.Start("functions worker", executable, arguments, environment, app.Directory);
        return new WorkerProcess(child, log);
    }

    /// <summary>The environment of the worker: app settings, then the variables the host always sets.</summary>
    public static Dictionary<string, string?> BuildEnvironment(PublishedApp app, IReadOnlyDictionary<string, string?> localSettings, IReadOnlyDictionary<string, string?> overrides)
    {
        var environment = new Dictionary<string, string?>(localSettings, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        environment["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Directory;
        environment["FUNCTIONS_WORKER_DIRECTORY"] = app.Directory;
        environment["AzureWebJobsScriptRoot"] = app.Directory;
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await _child.DisposeAsync();
        await _stopPump.CancelAsync();
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopPump.Dispose();
        _exited.TrySetResult(-1);
    }

    private async Task WatchExitAsync()
    {
        int code;
        try
        {
            code = await _child.WaitForExitAsync(Timeout.InfiniteTimeSpan);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or TimeoutException)
        {
            return;
        }

        // Let the output readers drain, then report the exit after the last line.
        await Task.Delay(150);
        Forward();
        _log.AddNote($"The worker exited with code {code}.");
        _exited.TrySetResult(code);
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Forward();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Forward()
    {
        lock (_forwardLock)
        {
            var lines = _child.Lines.Skip(_forwarded).ToArray();
            _forwarded += lines.Length;
            foreach (var line in lines)
            {
                _log.AddProcessLine(line);
            }
        }
    }
}
