using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VeloZ.FunctionsHost.Protocol;
using Yarp.ReverseProxy.Forwarder;

namespace VeloZ.FunctionsHost;

/// <summary>
/// The host's HTTP side. Each HTTP function is served at its path (<c>routePrefix</c> + route) for its
/// methods; anything else is a 404, as in the host, whose routing never reaches a function for an unknown
/// path or verb. A key is required per <c>authLevel</c> (401 without). A served request is forwarded to the
/// worker's <c>HttpUri</c> (streamed both ways, never buffered) while the InvocationRequest goes over gRPC;
/// the request ends once both are done. Failures are reported with the worker's last log lines.
/// </summary>
internal sealed class HttpFront : IAsyncDisposable
{
    /// <summary>The host's forwarder gives up after this long without traffic in either direction.</summary>
    private static readonly TimeSpan s_activityTimeout = TimeSpan.FromSeconds(240);

    /// <summary>How long an InvocationResponse may trail the end of the forwarded response.</summary>
    private static readonly TimeSpan s_responseGrace = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _client;
    private readonly State _state;

    private HttpFront(WebApplication app, HttpMessageInvoker client, State state, Uri baseAddress)
    {
        _app = app;
        _client = client;
        _state = state;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<HttpFront> StartAsync(
        IReadOnlyList<LoadedFunction> functions,
        Uri workerHttpUri,
        WorkerConnection connection,
        FunctionKeys keys,
        TimeSpan functionTimeout,
        WorkerLog log,
        ConcurrentQueue<InvocationRecord> invocations,
        Task<int> workerExited,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            // The host's default request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).
            k.Limits.MaxRequestBodySize = 104_857_600;
            k.Listen(IPAddress.Loopback, 0);
        });
        // Full routing, so every route constraint the host understands (regex included) works here too.
        builder.Services.AddRouting();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();

        var client = new HttpMessageInvoker(new ConnectRetryHandler(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        }));
        var state = new State(app.Services.GetRequiredService<IHttpForwarder>(), client, workerHttpUri.AbsoluteUri, connection, keys, functionTimeout, log, invocations, workerExited);

        app.UseRouting();
        app.Use(next => context =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<LoadedFunction>() is null)
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        foreach (var function in functions.Where(f => f.IsHttp))
        {
            var endpoint = function.Methods.Count == 0
                ? app.Map(function.Path!, context => state.HandleAsync(context, function))
                : app.MapMethods(function.Path!, function.Methods, context => state.HandleAsync(context, function));
            endpoint.WithMetadata(function).WithDisplayName(function.Name);
        }

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HttpFront(app, client, state, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        // In-flight streams (SSE) would hold a graceful stop; give them a moment, then cut them.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
        _client.Dispose();
        GC.KeepAlive(_state);
    }

    private sealed class State(
        IHttpForwarder forwarder,
        HttpMessageInvoker client,
        string workerHttpUri,
        WorkerConnection connection,
        FunctionKeys keys,
        TimeSpan functionTimeout,
        WorkerLog log,
        ConcurrentQueue<InvocationRecord> invocations,
        Task<int> workerExited)
    {
        /// <summary>How long a broken forward waits to learn whether the worker process died.</summary>
        private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(2);

        private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = s_activityTimeout };

        public async Task HandleAsync(HttpContext context, LoadedFunction function)
        {
            if (!keys.Authorize(context.Request, function.AuthLevel))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (WorkerGone() is { } gone)
            {
                await WriteFailureAsync(context, StatusCodes.Status503ServiceUnavailable, $"Function '{function.Name}' cannot run: {gone}");
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var invocationId = Guid.NewGuid().ToString();
            var request = BuildInvocationRequest(context, function, invocationId);

            using var timeout = new CancellationTokenSource(functionTimeout);
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
            // Like the host: start forwarding, then send the InvocationRequest; the worker pairs them by id.
            var forwarding = forwarder.SendAsync(context, workerHttpUri, client, _requestConfig, new InvocationTransformer(invocationId), aborted.Token).AsTask();
            var invocation = connection.InvokeAsync(request);
            ForwarderError forwardError;
            using (aborted.Token.Register(() => connection.Cancel(invocationId)))
            {
                forwardError = await forwarding;
            }

            string status;
            string? error = null;
            try
            {
                // After a forwarding error the worker is likely gone; do not keep the client waiting long.
                var reply = await invocation.WaitAsync(forwardError == ForwarderError.None ? s_responseGrace : TimeSpan.FromSeconds(5));
                var result = reply.InvocationResponse.Result;
                status = (result?.Status ?? StatusResult.Types.Status.Failure).ToString();
                if (result?.Status != StatusResult.Types.Status.Success)
                {
                    error = result?.Exception is { } exception ? WorkerLog.Describe(exception) : result?.Result is { Length: > 0 } text ? text : "no reason given";
                }
            }
            catch (Exception ex) when (ex is TimeoutException or WorkerUnavailableException)
            {
                status = "NoResponse";
                error = ex is TimeoutException ? $"no InvocationResponse within {s_responseGrace.TotalSeconds:0} s of the HTTP response" : ex.Message;
            }

            if (forwardError != ForwarderError.None)
            {
                var cause = context.Features.Get<IForwarderErrorFeature>()?.Exception?.Message;
                var reason = $"forwarding to the worker failed ({forwardError}{(cause is null ? "" : ": " + cause)})";
                error = error is null ? reason : reason + "; " + error;
                // A dying worker breaks the connection a moment before its exit is observed.
                await Task.WhenAny(workerExited, Task.Delay(s_exitGrace, CancellationToken.None));
                if (WorkerGone() is { } goneNow)
                {
                    error += "; " + goneNow;
                }

                if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    await WriteFailureAsync(context, StatusCodes.Status502BadGateway, $"Invocation {invocationId} of function '{function.Name}' failed: {error}");
                }
            }

            else if (error is not null && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                // The worker answers an invocation that threw with an empty 200; the host, seeing the
                // failure before any byte went out, answers 500 instead.
                await WriteFailureAsync(context, StatusCodes.Status500InternalServerError, $"Invocation {invocationId} of function '{function.Name}' failed: {error}");
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var statusCode = context.Response.StatusCode;
            invocations.Enqueue(new InvocationRecord(function.Name, invocationId, status, error, statusCode, elapsed));
            var summary = $"{context.Request.Method} {context.Request.Path} -> {function.Name} (invocation {invocationId}): HTTP {statusCode}, {status}, {elapsed.TotalMilliseconds:0} ms";
            if (error is null)
            {
                log.AddNote(summary);
            }
            else
            {
                log.AddNote($"{summary}: {error}{Environment.NewLine}Last worker log lines:{Environment.NewLine}{log.FormatTail()}");
            }
        }

        private string? WorkerGone() =>
            workerExited.IsCompletedSuccessfully ? $"the worker exited with code {workerExited.Result}" : null;

        private static InvocationRequest BuildInvocationRequest(HttpContext context, LoadedFunction function, string invocationId)
        {
            var request = new InvocationRequest
            {
                InvocationId = invocationId,
                FunctionId = function.FunctionId,
                TraceContext = TraceContext(context),
            };
            // With the ASP.NET Core integration the request itself travels over HTTP; the trigger input is an empty RpcHttp.
            request.InputData.Add(new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Http = new RpcHttp() } });
            // Route values reach parameters bound by name (string id) only through trigger metadata.
            foreach (var (key, value) in context.Request.RouteValues)
            {
                if (value is not null)
                {
                    request.TriggerMetadata[key] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" };
                }
            }

            request.TriggerMetadata["sys"] = new TypedData { Json = SystemMetadata(function.Name) };
            return request;
        }

        /// <summary>
        /// The W3C trace context of the request, or a new sampled one, as the host in <c>telemetryMode</c>
        /// OpenTelemetry passes its own request span (sampling every request); the worker requires one on every invocation.
        /// </summary>
        private static RpcTraceContext TraceContext(HttpContext context)
        {
            var traceParent = context.Request.Headers.TraceParent.ToString();
            if (!ActivityContext.TryParse(traceParent, null, out _))
            {
                traceParent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
            }

            return new RpcTraceContext { TraceParent = traceParent, TraceState = context.Request.Headers.TraceState.ToString() };
        }

        /// <summary>The host's <c>sys</c> binding data: method name, invocation time, a random GUID.</summary>
        private static string SystemMetadata(string functionName)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("MethodName", functionName);
                json.WriteString("UtcNow", DateTime.UtcNow);
                json.WriteString("RandGuid", Guid.NewGuid());
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private async Task WriteFailureAsync(HttpContext context, int statusCode, string message)
        {
            context.Response.Clear();
            context.Response.StatusCode = statusCode;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                $"Functions host stand-in: {message}{Environment.NewLine}Last worker log lines:{Environment.NewLine}{log.FormatTail()}{Environment.NewLine}",
                CancellationToken.None);
        }
    }
}
