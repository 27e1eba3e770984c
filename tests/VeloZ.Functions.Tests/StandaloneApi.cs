using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;

namespace VeloZ.Functions.Tests;

/// <summary>The standalone API host started in-process on a free loopback port, with an HttpClient to it.</summary>
internal sealed class StandaloneApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandaloneApi(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="services">Registrations made before the API's own (a <c>TelemetryExport</c>, say).</param>
    public static async Task<StandaloneApi> StartAsync(GatewayOptions options, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        services?.Invoke(builder.Services);
        var app = ApiProgram.BuildStandalone(builder, options with { Api = options.Api with { Host = "127.0.0.1", Port = 0 } });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new StandaloneApi(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
