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
/// <para><c>dotnet run -c Release --project bench/VeloZ.Bench -- orders [seconds-per-step] [rates...] [--writers sdk,rest] [--rounds N]</c></para>
/// <para><c>--writers</c> compares order-row writers in one build: each round runs the sweep once per writer, in
/// the order given, each on a fresh Azurite and API.</para>
/// </summary>
internal static class OrderBench
{
    public static async Task RunAsync(string[] args)
    {
        // --writers sdk,rest and --rounds N may stand anywhere; the rest is [seconds-per-step] [rates...].
        var writers = new List<string> { "rest" };
        var rounds = 1;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--writers" when i + 1 < args.Length:
                    writers = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }

        var seconds = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 10;
        int[] rates = positional.Count > 1 ? [.. positional.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [100, 400, 800, 1200, 1700, 2400];
        if (writers.Find(w => w is not ("sdk" or "rest")) is { } unknown)
        {
            throw new ArgumentException($"Unknown order-row writer '{unknown}': use sdk or rest.");
        }

        // The writers alternate (sdk, rest, sdk, rest...), each run on a fresh Azurite and API of this same
        // build: load from whatever else shares the machine falls on both alike.
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var writer in writers)
            {
                Console.WriteLine();
                Console.WriteLine(FormattableString.Invariant($"writer {writer}, round {round} of {rounds}, {DateTimeOffset.UtcNow:HH:mm:ss} UTC, load average {LoadAverage()}"));
                await RunWriterAsync(writer, seconds, rates);
            }
        }
    }

    /// <summary>The 1-minute load average (Linux), to see what else used the machine during a run.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>One sweep with <paramref name="writer"/> storing the order rows: <c>rest</c> (VeloZ's REST writer, the product's) or <c>sdk</c> (Azure.Data.Tables).</summary>
    private static async Task RunWriterAsync(string writer, int seconds, int[] rates)
    {
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
                Api = new() { Host = "127.0.0.1", Port = 0 },
                Storage = new() { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = "bench" },
                Venue = new()
                {
                    ExecutionMode = ExecutionMode.BinanceTestnetSpot,
                    BinanceTradeBaseUrl = venue.RestBaseUri,
                    BinanceApiKey = new Secret(SimApiKey.VeloZTestApiKey),
                    BinanceApiSecret = new Secret(SimApiKey.VeloZTestSecretKey),
                },
                // The benchmark measures the order path; the API's own per-client rate limit would cap it.
                Security = new() { RateLimitPerSecond = 0 },
            };
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            await using var api = ApiProgram.BuildStandalone(builder, options);
            await api.StartAsync();
            var store = api.Services.GetRequiredService<VeloZ.Storage.TableStore>();
            if (writer == "sdk")
            {
                // Before the first order: the order-row writer reads the store's row client at every write.
                store.Rows = store.CreateSdkRowClient();
            }

            await store.EnsureCreatedAsync(CancellationToken.None);

            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri(api.Urls.First()),
                Timeout = TimeSpan.FromSeconds(30),
            };

            // Warm up until the JIT's tiering has settled (the first seconds of a process cost twice the CPU
            // per order), and the connection pools and the exchangeInfo cache are filled: steady state is measured.
            await RunAsync(client, 200, TimeSpan.FromSeconds(20), "warm");

            Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per step, open loop");
            Console.WriteLine("| writer | offered orders/s | achieved orders/s | p50 ms | p90 ms | p99 ms | max ms | errors | order rows per storage request | CPU % bench / azurite | bench CPU µs per order | GC pause ms per s | KB allocated per order |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
            // Azurite is this process's only child here; the API and the venue run inside it.
            var processes = new Dictionary<string, int>(CpuMeter.NamedChildren()) { ["bench"] = Environment.ProcessId };
            var orders = api.Services.GetRequiredService<VeloZ.Storage.OrderRepository>();
            for (var step = 0; step < rates.Length; step++)
            {
                var rate = rates[step];
                var before = orders.WriteCounters;
                var meter = new CpuMeter(processes);
                var pauseBefore = GC.GetTotalPauseDuration();
                var allocatedBefore = GC.GetTotalAllocatedBytes();
                var clock = Stopwatch.StartNew();
                meter.Start();
                // Every step's client order ids are new: a repeated rate must not resend the ids of an earlier
                // step, which would measure duplicate handling instead of orders.
                var r = await RunAsync(client, rate, TimeSpan.FromSeconds(seconds), $"s{step}r{rate}");
                var cpu = meter.Stop();
                var elapsed = clock.Elapsed.TotalSeconds;
                var pauseMsPerSecond = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds / elapsed;
                var sent = rate * seconds;
                var kbPerOrder = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / sent;
                var benchCpu = cpu.Processes["bench"];
                var cpuPerOrder = benchCpu / 100 * elapsed / sent * 1_000_000;
                var after = orders.WriteCounters;
                var rowsPerRequest = (double)(after.Rows - before.Rows) / Math.Max(1, after.Requests - before.Requests);
                var azuriteCpu = cpu.Processes.TryGetValue("azurite", out var a) ? a.ToString("0", CultureInfo.InvariantCulture) : "?";
                Console.WriteLine(FormattableString.Invariant($"| {writer} | {rate} | {r.Achieved:0} | {r.P50:0.0} | {r.P90:0.0} | {r.P99:0.0} | {r.Max:0.0} | {r.Errors} | {rowsPerRequest:0.0} | {benchCpu:0} / {azuriteCpu} | {cpuPerOrder:0} | {pauseMsPerSecond:0.0} | {kbPerOrder:0.0} |"));
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
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();

        async Task SendAsync(int index, TimeSpan due)
        {
            await Task.Yield();
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
        }

        // The schedule runs on a thread of its own that sleeps (never spins: that would take the CPU the
        // gateway and Azurite need) until each send time with the OS's microsecond sleep; the thread pool's
        // timers are millisecond-coarse and would add their lateness to every latency (which is measured
        // from the due time, so a late send always counts against the gateway, never for it).
        var generator = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    PreciseSleep(wait);
                }

                tasks[i] = SendAsync(i, due);
            }
        })
        { IsBackground = true, Name = "order load", Priority = ThreadPriority.AboveNormal };
        generator.Start();
        await Task.Run(generator.Join);
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return (total / elapsed, At(0.50), At(0.90), At(0.99), latencies[^1], errors);
    }

    private static void PreciseSleep(TimeSpan wait)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = usleep((uint)Math.Min(wait.TotalMicroseconds, 1_000_000));
        }
        else
        {
            Thread.Sleep(wait);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint microseconds);
}
