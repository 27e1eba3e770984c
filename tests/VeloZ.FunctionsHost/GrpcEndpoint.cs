using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VeloZ.FunctionsHost.Protocol;

namespace VeloZ.FunctionsHost;

/// <summary>
/// The gRPC server the worker connects to, like the host's own: Kestrel on 127.0.0.1, a free port,
/// HTTP/2 cleartext only (the worker's channel speaks nothing else), no message size limits. It must be
/// listening before the worker starts: a worker that finds the port closed exits at once.
/// </summary>
internal sealed class GrpcEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address passed to the worker as <c>--functions-uri</c>, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri Address { get; }

    public static async Task<GrpcEndpoint> StartAsync(WorkerConnection connection, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(connection);
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = true;
        });
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new GrpcEndpoint(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    /// <summary>Hands the one <c>EventStream</c> call to the <see cref="WorkerConnection"/>.</summary>
    private sealed class FunctionRpcService(WorkerConnection connection) : FunctionRpc.FunctionRpcBase
    {
        public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
            connection.RunStreamAsync(requestStream, responseStream, context.CancellationToken);
    }
}
