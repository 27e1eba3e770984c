using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using VeloZ.FunctionsHost.Protocol;
using GrpcRpcException = Grpc.Core.RpcException;

namespace VeloZ.FunctionsHost;

/// <summary>
/// The host's end of the worker's <c>EventStream</c>. Invariants: one worker stream at a time; a single
/// writer (a loop draining <see cref="_outbound"/>) because gRPC stream writes must not overlap; every
/// request that expects a reply registers its waiter <i>before</i> it is queued, so a fast reply is never
/// lost; when the stream ends or the worker process exits, every waiter fails with the reason, so nothing
/// that waits on the worker can hang.
/// </summary>
internal sealed class WorkerConnection(string workerId, WorkerLog log)
{
    private const string StartKey = "start";
    private const string InitKey = "init";
    private const string MetadataKey = "metadata";

    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _waiters = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _attached;
    private Exception? _failure;

    /// <summary>Completes when the stream is over (worker gone or host stopping).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Waits for the worker's <c>StartStream</c>.</summary>
    public Task<StreamingMessage> StartStreamReceived { get; private set; } = Task.FromResult(new StreamingMessage());

    /// <summary>Call before the worker is launched.</summary>
    public void ExpectStartStream() => StartStreamReceived = Expect(StartKey);

    /// <summary>Serves one <c>EventStream</c> call until the worker or the host ends it.</summary>
    public async Task RunStreamAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _attached, 1) == 1)
        {
            throw new GrpcRpcException(new Status(StatusCode.FailedPrecondition, "This test host serves exactly one worker stream."));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteLoopAsync(responses, stop.Token);
        try
        {
            await foreach (var message in requests.ReadAllAsync(stop.Token))
            {
                Dispatch(message);
            }

            Fail(new WorkerUnavailableException("The worker closed its gRPC stream."));
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or GrpcRpcException or InvalidOperationException)
        {
            Fail(new WorkerUnavailableException($"The worker's gRPC stream ended: {ex.Message}", ex));
        }
        finally
        {
            await stop.CancelAsync();
            _outbound.Writer.TryComplete();
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _closed.TrySetResult();
        }
    }

    public Task<StreamingMessage> InitializeAsync(WorkerInitRequest request) =>
        Send(InitKey, new StreamingMessage { RequestId = NewId(), WorkerInitRequest = request });

    public Task<StreamingMessage> RequestMetadataAsync(FunctionsMetadataRequest request) =>
        Send(MetadataKey, new StreamingMessage { RequestId = NewId(), FunctionsMetadataRequest = request });

    public Task<StreamingMessage> LoadAsync(FunctionLoadRequest request) =>
        Send("load:" + request.FunctionId, new StreamingMessage { RequestId = NewId(), FunctionLoadRequest = request });

    public Task<StreamingMessage> InvokeAsync(InvocationRequest request) =>
        Send("invocation:" + request.InvocationId, new StreamingMessage { RequestId = NewId(), InvocationRequest = request });

    public Task<StreamingMessage> RequestStatusAsync()
    {
        var requestId = NewId();
        return Send("status:" + requestId, new StreamingMessage { RequestId = requestId, WorkerStatusRequest = new WorkerStatusRequest() });
    }

    public void Cancel(string invocationId) =>
        _outbound.Writer.TryWrite(new StreamingMessage { RequestId = NewId(), InvocationCancel = new InvocationCancel { InvocationId = invocationId } });

    public bool Terminate(TimeSpan gracePeriod) =>
        _outbound.Writer.TryWrite(new StreamingMessage
        {
            RequestId = NewId(),
            WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(gracePeriod) },
        });

    /// <summary>Fails every current and future waiter with <paramref name="reason"/> (first reason wins).</summary>
    public void Fail(Exception reason)
    {
        var failure = Interlocked.CompareExchange(ref _failure, reason, null) ?? reason;
        foreach (var key in _waiters.Keys)
        {
            if (_waiters.TryRemove(key, out var waiter))
            {
                waiter.TrySetException(failure);
            }
        }
    }

    private Task<StreamingMessage> Send(string key, StreamingMessage message)
    {
        var reply = Expect(key);
        if (!_outbound.Writer.TryWrite(message))
        {
            Fail(new WorkerUnavailableException("The worker's gRPC stream is closed."));
        }

        return reply;
    }

    private Task<StreamingMessage> Expect(string key)
    {
        var waiter = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiters.TryAdd(key, waiter))
        {
            throw new InvalidOperationException($"A reply for '{key}' is already awaited.");
        }

        if (Volatile.Read(ref _failure) is { } failure && _waiters.TryRemove(key, out _))
        {
            waiter.TrySetException(failure);
        }

        return waiter.Task;
    }

    private void Complete(string key, StreamingMessage message)
    {
        if (_waiters.TryRemove(key, out var waiter))
        {
            waiter.TrySetResult(message);
        }
        else
        {
            log.AddNote($"Unexpected {message.ContentCase} from the worker (nothing waited for '{key}').");
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                log.Add(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.StartStream:
                if (message.StartStream.WorkerId != workerId)
                {
                    log.AddNote($"StartStream from unknown worker id '{message.StartStream.WorkerId}' (expected '{workerId}').");
                    Fail(new WorkerUnavailableException($"A worker with id '{message.StartStream.WorkerId}' connected; the launched worker has id '{workerId}'."));
                    return;
                }

                Complete(StartKey, message);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                Complete(InitKey, message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Complete(MetadataKey, message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                Complete("load:" + message.FunctionLoadResponse.FunctionId, message);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                Complete("invocation:" + message.InvocationResponse.InvocationId, message);
                break;
            case StreamingMessage.ContentOneofCase.WorkerStatusResponse:
                Complete("status:" + message.RequestId, message);
                break;
            default:
                log.AddNote($"Ignored a {message.ContentCase} message from the worker.");
                break;
        }
    }

    private async Task WriteLoopAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or GrpcRpcException)
        {
            Fail(new WorkerUnavailableException($"Could not write to the worker's gRPC stream: {ex.Message}", ex));
        }
    }

    private static string NewId() => Guid.NewGuid().ToString();
}
