using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using VeloZ.FunctionsHost.Protocol;

namespace VeloZ.FunctionsHost;

/// <summary>
/// A test-only stand-in for the Azure Functions host, for a published dotnet-isolated worker that uses the
/// ASP.NET Core integration. It starts a gRPC server, launches the worker the way the host does, completes
/// the host's handshake (StartStream, WorkerInit, FunctionsMetadata, one FunctionLoad per function), then
/// serves the worker's HTTP functions on <see cref="BaseAddress"/> like the host's HTTP front: routes and
/// verbs from the metadata, <c>routePrefix</c> from <c>host.json</c>, keys per <c>authLevel</c>, each
/// request proxied to the worker while its InvocationRequest goes over gRPC.
/// <para>
/// Invariants: <see cref="StartAsync"/> either returns a host whose functions are all loaded or throws a
/// <see cref="FunctionsHostStandInException"/> with the worker's exit code and last log lines, within
/// <see cref="FunctionsHostStandInOptions.StartupTimeout"/>; nothing waits on a worker that has exited.
/// </para>
/// </summary>
public sealed class FunctionsHostStandIn : IAsyncDisposable
{
    /// <summary>The version the stand-in announces in WorkerInitRequest.</summary>
    public const string HostVersion = "4.0.0-veloz-standin";

    private readonly GrpcEndpoint _grpc;
    private readonly WorkerConnection _connection;
    private readonly WorkerProcess _process;
    private readonly HttpFront _front;
    private readonly WorkerLog _log;
    private readonly FunctionKeys _keys;
    private readonly ConcurrentQueue<InvocationRecord> _invocations;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _statusLoop;
    private readonly TimeSpan _shutdownTimeout;
    private int _disposed;

    private FunctionsHostStandIn(
        PublishedApp app,
        GrpcEndpoint grpc,
        WorkerConnection connection,
        WorkerProcess process,
        HttpFront front,
        WorkerLog log,
        FunctionKeys keys,
        ConcurrentQueue<InvocationRecord> invocations,
        Handshake handshake,
        FunctionsHostStandInOptions options)
    {
        _grpc = grpc;
        _connection = connection;
        _process = process;
        _front = front;
        _log = log;
        _keys = keys;
        _invocations = invocations;
        AppDirectory = app.Directory;
        RoutePrefix = app.RoutePrefix;
        LoadedFunctions = handshake.Functions;
        WorkerCapabilities = handshake.Capabilities;
        WorkerHttpUri = handshake.HttpUri;
        _shutdownTimeout = options.ShutdownTimeout;
        _statusLoop = StatusLoopAsync(options.StatusInterval, _stopping.Token);
    }

    /// <summary>The HTTP front, e.g. <c>http://127.0.0.1:41234/</c>; request <c>new Uri(BaseAddress, "api/config")</c>.</summary>
    public Uri BaseAddress => _front.BaseAddress;

    /// <summary>A key accepted for <c>authLevel: function</c> (header <c>x-functions-key</c> or query <c>code</c>).</summary>
    public string FunctionKey => _keys.FunctionKey;

    /// <summary>The master key, accepted for every auth level.</summary>
    public string MasterKey => _keys.MasterKey;

    /// <summary>The published app folder the worker runs from.</summary>
    public string AppDirectory { get; }

    /// <summary><c>extensions.http.routePrefix</c> of the app's <c>host.json</c> (<c>api</c> when absent).</summary>
    public string RoutePrefix { get; }

    /// <summary>Every function the worker reported, each loaded successfully.</summary>
    public IReadOnlyList<LoadedFunction> LoadedFunctions { get; }

    /// <summary>The capabilities of the worker's WorkerInitResponse.</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; }

    /// <summary>The worker's own Kestrel (its <c>HttpUri</c> capability), where requests are proxied.</summary>
    public Uri WorkerHttpUri { get; }

    /// <summary>The worker's log so far: its RpcLog messages, its stdout/stderr and the stand-in's notes.</summary>
    public IReadOnlyList<string> WorkerLogs => _log.Snapshot();

    /// <summary>The HTTP invocations so far, each with the worker's verdict, in completion order.</summary>
    public IReadOnlyList<InvocationRecord> Invocations => [.. _invocations];

    /// <summary>The worker's exit code once it has exited on its own; null while it runs.</summary>
    public int? WorkerExitCode => _process.ExitCode;

    /// <summary>Launches the worker from <see cref="FunctionsHostStandInOptions.AppDirectory"/> and completes the handshake.</summary>
    public static async Task<FunctionsHostStandIn> StartAsync(FunctionsHostStandInOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = PublishedApp.Read(options.AppDirectory);
        var environment = WorkerProcess.BuildEnvironment(app, LocalSettings.ReadValues(options.LocalSettingsFile), options.Environment);
        var log = new WorkerLog(options.Log);
        var keys = new FunctionKeys(options.FunctionKey ?? FunctionKeys.NewKey(), FunctionKeys.NewKey());
        var workerId = Guid.NewGuid().ToString();
        var connection = new WorkerConnection(workerId, log);
        var invocations = new ConcurrentQueue<InvocationRecord>();

        var grpc = await GrpcEndpoint.StartAsync(connection, cancellationToken);
        WorkerProcess? process = null;
        HttpFront? front = null;
        var stage = "waiting for the worker's StartStream";
        try
        {
            connection.ExpectStartStream();
            process = WorkerProcess.Start(app, grpc.Address, workerId, environment, log);
            _ = process.Exited.ContinueWith(
                t => connection.Fail(new WorkerUnavailableException($"The worker exited with code {t.Result}.")),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartupTimeout);
            var started = Stopwatch.GetTimestamp();
            var handshake = await HandshakeAsync(app, connection, s => stage = s).WaitAsync(timeout.Token);
            log.AddNote($"Handshake complete in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms: {handshake.Functions.Count} function(s) loaded: " +
                string.Join(", ", handshake.Functions.Select(f => f.IsHttp ? $"{f.Name} [{string.Join(',', f.Methods)}] {f.Path} ({f.AuthLevel})" : $"{f.Name} ({f.TriggerType})")));

            stage = $"waiting for the worker's HTTP endpoint {handshake.HttpUri} to accept connections";
            await WaitUntilListeningAsync(handshake.HttpUri, timeout.Token);

            stage = "starting the HTTP front";
            front = await HttpFront.StartAsync(
                handshake.Functions, handshake.HttpUri, connection, keys, app.FunctionTimeout, log, invocations,
                process.Exited,
                cancellationToken);
            log.AddNote($"Serving {app.Directory} at {front.BaseAddress} (routePrefix '{app.RoutePrefix}').");
            return new FunctionsHostStandIn(app, grpc, connection, process, front, log, keys, invocations, handshake, options);
        }
        catch (Exception ex)
        {
            if (front is not null)
            {
                await front.DisposeAsync();
            }

            int? exitCode = null;
            if (process is not null)
            {
                // A worker that is exiting right now gets a moment, so its exit code and last words are reported.
                await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
                exitCode = process.ExitCode;
                await process.DisposeAsync();
            }

            await grpc.DisposeAsync();
            var reason = ex switch
            {
                OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                    $"the handshake did not complete within {options.StartupTimeout.TotalSeconds:0.###} s (stage: {stage})",
                OperationCanceledException => $"start-up was cancelled (stage: {stage})",
                _ => $"{ex.Message} (stage: {stage})",
            };
            var exit = exitCode is { } code ? $"; the worker exited with code {code}" : "";
            throw new FunctionsHostStandInException(
                $"The Functions worker in {app.Directory} did not start: {reason}{exit}.{Environment.NewLine}Last worker log lines:{Environment.NewLine}{log.FormatTail()}",
                exitCode,
                log.Tail(40),
                ex);
        }
    }

    /// <summary>Sends a <c>WorkerStatusRequest</c> and returns how long the worker took to answer.</summary>
    public async Task<TimeSpan> PingWorkerAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await _connection.RequestStatusAsync().WaitAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Waits for an invocation to be recorded: a client can finish reading a response a moment before the
    /// worker's InvocationResponse arrives.
    /// </summary>
    public async Task<InvocationRecord> WaitForInvocationAsync(Func<InvocationRecord, bool> match, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_invocations.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"No matching invocation was recorded within {limit.TotalSeconds:0.#} s. Last worker log lines:{Environment.NewLine}{_log.FormatTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>The worker's last log lines, indented, for assertion messages.</summary>
    public string DescribeRecentWorkerLogs(int lines = 40) => _log.FormatTail(lines);

    /// <summary>Stops the HTTP front, sends <c>WorkerTerminate</c>, waits for the worker to exit (kills it after the timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _statusLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _front.DisposeAsync();
        if (_process.ExitCode is null && _connection.Terminate(TimeSpan.FromSeconds(5)))
        {
            var exited = await Task.WhenAny(_process.Exited, Task.Delay(_shutdownTimeout, CancellationToken.None));
            if (exited != _process.Exited)
            {
                _log.AddNote($"The worker did not exit within {_shutdownTimeout.TotalSeconds:0} s of WorkerTerminate; killing it.");
            }
        }

        await _process.DisposeAsync();
        await _grpc.DisposeAsync();
        _stopping.Dispose();
    }

    private static async Task<Handshake> HandshakeAsync(PublishedApp app, WorkerConnection connection, Action<string> stage)
    {
        await connection.StartStreamReceived;

        stage("WorkerInitRequest");
        var init = (await connection.InitializeAsync(new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = app.Directory,
            FunctionAppDirectory = app.Directory,
        })).WorkerInitResponse;
        EnsureSuccess(init.Result, "WorkerInitRequest");
        var capabilities = init.Capabilities.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        if (!capabilities.TryGetValue("HttpUri", out var httpUri) || !Uri.TryCreate(httpUri, UriKind.Absolute, out var workerHttpUri))
        {
            throw new FunctionsHostStandInException(
                "The worker did not advertise an HttpUri capability: it does not use the ASP.NET Core integration " +
                "(ConfigureFunctionsWebApplication), which is the only HTTP model the stand-in serves.");
        }

        stage("FunctionsMetadataRequest");
        var metadata = (await connection.RequestMetadataAsync(new FunctionsMetadataRequest { FunctionAppDirectory = app.Directory })).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new FunctionsHostStandInException("The worker asked the host to index functions.metadata itself; the stand-in only supports worker indexing.");
        }

        stage("FunctionLoadRequest");
        var loads = metadata.FunctionMetadataResults.Select(async m =>
        {
            var functionId = m.FunctionId.Length > 0 ? m.FunctionId : Guid.NewGuid().ToString();
            var response = (await connection.LoadAsync(new FunctionLoadRequest { FunctionId = functionId, Metadata = m })).FunctionLoadResponse;
            EnsureSuccess(response.Result, $"FunctionLoadRequest for '{m.Name}'");
            return FunctionMetadataReader.Read(m, functionId, app.RoutePrefix);
        }).ToList();
        var functions = await Task.WhenAll(loads);
        return new Handshake(capabilities, workerHttpUri, functions);
    }

    /// <summary>The worker reports its functions loaded before its own Kestrel listens; requests must wait for both.</summary>
    private static async Task WaitUntilListeningAsync(Uri httpUri, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(httpUri.Host, httpUri.Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    private static void EnsureSuccess(StatusResult? result, string what)
    {
        if (result is null || result.Status == StatusResult.Types.Status.Success)
        {
            return;
        }

        var detail = result.Exception is { } exception ? WorkerLog.Describe(exception) : result.Result;
        throw new FunctionsHostStandInException($"The worker answered {what} with {result.Status}: {detail}");
    }

    private async Task StatusLoopAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_process.ExitCode is not null)
                {
                    return;
                }

                try
                {
                    var latency = await PingWorkerAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    if (latency > TimeSpan.FromSeconds(1))
                    {
                        _log.AddNote($"The worker took {latency.TotalMilliseconds:0} ms to answer a WorkerStatusRequest.");
                    }
                }
                catch (TimeoutException)
                {
                    _log.AddNote("The worker did not answer a WorkerStatusRequest within 30 s.");
                }
                catch (WorkerUnavailableException)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record Handshake(IReadOnlyDictionary<string, string> Capabilities, Uri HttpUri, IReadOnlyList<LoadedFunction> Functions);
}
