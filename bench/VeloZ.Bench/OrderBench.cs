using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Bench;

/// <summary>
/// Order-path benchmark. Azurite (in memory), the simulated venue and the standalone API run on this
/// machine; a load generator sends POST /api/order open-loop at fixed rates (each request's latency is
/// measured from its scheduled send time, so a stall is not hidden by sending less) and reports p50/p99
/// and the rate achieved. Every order is durable (row written before the venue is called, the venue's
/// answer stored) and answered only once the venue's answer is in hand.
/// <para><c>dotnet run -c Release --project bench/VeloZ.Bench -- orders [seconds-per-step] [rates...]</c></para>
/// </summary>
internal static class OrderBench
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        int[] rates = args.Length > 1 ? [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [100, 400, 800, 1200, 1700, 2400];

        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await using var venue = await SimVenueServer.StartAsync(new SimVenueOptions
            {
                PriceTickInterval = TimeSpan.Zero,
                RequestWeightPerMinute = 100_000_000,
                OrdersPer10Seconds = 100_000_000,
                OrdersPerDay = 1_000_000_000,
                StartingBalances = new Dictionary<string, decimal> { ["USDT"] = 1_000_000_000_000m, ["BTC"] = 1_000_000m },
                LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)),
            });

            var options = new GatewayOptions
            {
                Host = "127.0.0.1",
                Port = 0,
                StorageConnectionString = new Secret(azurite.ConnectionString),
                StoragePrefix = "bench",
                ExecutionMode = ExecutionMode.BinanceTestnetSpot,
                BinanceTradeBaseUrl = venue.RestBaseUri,
                BinanceApiKey = new Secret(SimApiKey.VeloZTestApiKey),
                BinanceApiSecret = new Secret(SimApiKey.VeloZTestSecretKey),
                // The benchmark measures the order path; the API's own per-client rate limit would cap it.
                RateLimitPerSecond = 0,
            };
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            await using var api = ApiProgram.BuildStandalone(builder, options);
            await api.StartAsync();
            await api.Services.GetRequiredService<VeloZ.Storage.TableStore>().EnsureCreatedAsync(CancellationToken.None);

            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri(api.Urls.First()),
                Timeout = TimeSpan.FromSeconds(30),
            };

            // Warm up: JIT, connection pool, exchangeInfo cache.
            await RunAsync(client, 50, TimeSpan.FromSeconds(3), "warm");

            Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per step, open loop");
            Console.WriteLine("| offered orders/s | achieved orders/s | p50 ms | p90 ms | p99 ms | max ms | errors | order rows per storage request |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            var orders = api.Services.GetRequiredService<VeloZ.Storage.OrderRepository>();
            foreach (var rate in rates)
            {
                var before = orders.WriteCounters;
                var r = await RunAsync(client, rate, TimeSpan.FromSeconds(seconds), $"r{rate}");
                var after = orders.WriteCounters;
                var rowsPerRequest = (double)(after.Rows - before.Rows) / Math.Max(1, after.Requests - before.Requests);
                Console.WriteLine(FormattableString.Invariant($"| {rate} | {r.Achieved:0} | {r.P50:0.0} | {r.P90:0.0} | {r.P99:0.0} | {r.Max:0.0} | {r.Errors} | {rowsPerRequest:0.0} |"));
            }

            Console.WriteLine(FormattableString.Invariant($"venue orders received: {venue.Counters.OrdersReceived}"));
            await api.StopAsync();
        }
        finally
        {
            // Azurite is a child process: never leave it running, whatever happened above.
            await azurite.DisposeAsync();
        }
    }

    private static async Task<(double Achieved, double P50, double P90, double P99, double Max, int Errors)> RunAsync(HttpClient client, int rate, TimeSpan duration, string prefix)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var errors = 0;
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            // Sleep until just before the send time, then yield the core until it comes. Above 500/s the
            // intervals are shorter than the timer's resolution: wake once a millisecond and send everything
            // due by then (late sends count against the latency, which is measured from the due time).
            while (clock.Elapsed < due)
            {
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1.5))
                {
                    await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
                }
                else if (rate > 500)
                {
                    await Task.Delay(1);
                }
                else
                {
                    Thread.Yield();
                }
            }

            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                // A resting order far below the market: the venue accepts it without matching.
                var body = $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{10000 + (index % 1000)}},"client_order_id":"{{prefix}}-{{index}}"}""";
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                try
                {
                    using var response = await client.PostAsync("/api/order", content);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return (total / elapsed, At(0.50), At(0.90), At(0.99), latencies[^1], errors);
    }
}
