using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Hosting;

/// <summary><c>/health</c>'s storage cost, counted at a stand-in Table endpoint that knows no rows (or is down).</summary>
public sealed class HealthReadingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A Table endpoint that counts requests and answers each 404 ResourceNotFound, or 503 while "down".</summary>
    private sealed class CountingTableEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private CountingTableEndpoint(WebApplication app) => _app = app;

        public int Requests => Volatile.Read(ref _requests);

        public bool Down { get; set; }

        public string ConnectionString { get; private set; } = string.Empty;

        public static async Task<CountingTableEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var endpoint = new CountingTableEndpoint(app);
            app.Run(async context =>
            {
                Interlocked.Increment(ref endpoint._requests);
                context.Response.StatusCode = endpoint.Down ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"not found"}}}""");
            });
            await app.StartAsync(Ct);
            var port = new Uri(app.Urls.First()).Port;
            endpoint.ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.AccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private static readonly BinanceClientPool s_noVenue = new(new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);

    private static HealthFunction Health(CountingTableEndpoint storage, FakeTimeProvider clock)
    {
        var options = new GatewayOptions { Storage = new() { StorageConnectionString = new Secret(storage.ConnectionString), StoragePrefix = "health" } };
        var store = new TableStore(options.Storage);
        var tradingMode = new TradingModeService(new TradingControlRepository(store), clock, new AuditLog(NullLogger<AuditLog>.Instance));
        var readings = new HealthReadings(new WorkerStatusView(new WorkerStatusRepository(store), clock), new MarketTickRepository(store), tradingMode, options.Market, clock);
        return new HealthFunction(readings, tradingMode, s_noVenue, clock);
    }

    private static async Task<string> CallAsync(HealthFunction health)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        var result = await health.RunAsync(context.Request, Ct);
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    [Fact]
    public async Task Health_costs_at_most_one_round_of_storage_reads_per_second_whatever_the_number_of_calls()
    {
        await using var storage = await CountingTableEndpoint.StartAsync();
        var clock = new FakeTimeProvider();
        var health = Health(storage, clock);

        for (var i = 0; i < 50; i++)
        {
            Assert.Contains("\"storage\":\"ok\"", await CallAsync(health), StringComparison.Ordinal);
        }

        Assert.Equal(4, storage.Requests);

        clock.Advance(HealthReadings.RecentEnough);
        for (var i = 0; i < 50; i++)
        {
            await CallAsync(health);
        }

        Assert.Equal(8, storage.Requests);
    }

    [Fact]
    public async Task Health_during_a_storage_outage_does_not_retry_storage_per_call()
    {
        await using var storage = await CountingTableEndpoint.StartAsync();
        storage.Down = true;
        var clock = new FakeTimeProvider();
        var health = Health(storage, clock);

        Assert.Contains("\"storage\":\"unavailable\"", await CallAsync(health), StringComparison.Ordinal);
        var afterFirst = storage.Requests;
        for (var i = 0; i < 50; i++)
        {
            Assert.Contains("\"storage\":\"unavailable\"", await CallAsync(health), StringComparison.Ordinal);
        }

        Assert.InRange(afterFirst, 1, 12);
        Assert.Equal(afterFirst, storage.Requests);
    }
}
