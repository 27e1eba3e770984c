using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VeloZ.Push.Tests;

/// <summary>
/// A stand-in for Azure SignalR Service's REST front door on 127.0.0.1 (a free port): it records every request
/// (method, full URL as received, Authorization header, body bytes) and answers from a script, 202 when the script is empty.
/// </summary>
internal sealed class CaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly List<Captured> _requests = [];

    private CaptureServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public IReadOnlyList<Captured> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<CaptureServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new CaptureServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public CaptureServer Then(int status, string? json = null, string? retryAfter = null) => Then(async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
        }
    });

    /// <summary>Never answers; the request ends when the client gives up.</summary>
    public CaptureServer ThenHang() => Then(async context =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    });

    public CaptureServer Then(Func<HttpContext, Task> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    /// <summary>Waits (in real time) until at least <paramref name="count"/> requests arrived.</summary>
    public async Task WaitForRequestsAsync(int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (Requests.Count < count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        lock (_requests)
        {
            _requests.Add(new Captured(
                context.Request.Method,
                context.Request.GetEncodedUrl(),
                context.Request.Path.Value!,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.Authorization.ToString(),
                context.Request.ContentType,
                body.ToArray()));
        }

        if (_script.TryDequeue(out var answer))
        {
            await answer(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
    }

    public sealed record Captured(string Method, string Url, string Path, string Query, string Authorization, string? ContentType, byte[] Body)
    {
        public string BodyText => Encoding.UTF8.GetString(Body);
    }
}
