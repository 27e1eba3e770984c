using System.Diagnostics;
using System.Globalization;

namespace VeloZ.Bench;

/// <summary>
/// The push benchmarks, against the real worker and API processes (<see cref="PushGateway"/>):
/// <list type="bullet">
/// <item><c>sse-latency</c>: venue tick to SSE subscriber latency with 1,000 subscribers on <c>GET /api/stream</c>
/// at the default tick (250 ms = 4 market events/s).</item>
/// <item><c>sse-capacity</c>: subscribers stepped up (1,000, 2,000, 5,000, 8,000 by default) at 10 market
/// events/s (<c>VELOZ_SIM_TICK_MS=100</c>); the largest step with p99 under <c>--p99-ms</c> (100) is the answer.</item>
/// <item><c>market</c>: <c>GET /api/market</c> requests per second with 16 closed-loop clients for 10 s (at the
/// default tick, served from memory while the API's hub subscription is up).</item>
/// </list>
/// Each measurement prints the load average and who used the CPU during it (the gateway's processes, this
/// load generator, and everything else on the machine).
/// </summary>
internal static class PushBench
{
    public static async Task SseAsync(BenchArgs args, bool latencyPreset)
    {
        var tickMs = args.Int("tick-ms", latencyPreset ? 250 : 100);
        var steps = args.Ints("subs", latencyPreset ? [1000] : [1000, 2000, 5000, 8000]);
        var seconds = args.Int("seconds", latencyPreset ? 20 : 15);
        var settle = args.Int("settle", 5);
        var bound = args.Int("p99-ms", 100);
        // Each subscriber is one open file here and one in the API process (which inherits this limit).
        var needed = steps.Max() + 500;
        if (CpuMeter.OpenFileLimit() is { } limit && limit < needed)
        {
            throw new InvalidOperationException($"{steps.Max()} subscribers need about {needed} open files per process, but 'ulimit -n' is {limit}: raise it (ulimit -n {needed}) and run again.");
        }

        Console.WriteLine($"{Environment.ProcessorCount} cores; tick {tickMs} ms ({1000.0 / tickMs:0.#} market events/s); {seconds} s per step after {settle} s settling; load average before start {CpuMeter.LoadAverage()}");

        await using var gateway = await PushGateway.StartAsync(tickMs, args.Text("api-dir"));
        await using var swarm = new SseSwarm(gateway.ApiBase);
        var meter = new CpuMeter(new Dictionary<string, int>(gateway.Processes) { ["bench"] = Environment.ProcessId });
        Console.WriteLine($"gateway up: API {gateway.ApiBase}; processes {string.Join(", ", gateway.Processes.Select(p => $"{p.Key} {p.Value}"))}");
        // The worker's own start-up work (JIT, first sweeps) is over before the first step.
        await Task.Delay(TimeSpan.FromSeconds(args.Int("warmup", 15)));
        Console.WriteLine("| subscribers | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | delivered | gaps | dropped | CPU % api / worker / azurite / bench / others | load avg (1/5/15 min) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        var best = 0;
        foreach (var subscribers in steps)
        {
            var opening = Stopwatch.StartNew();
            await swarm.GrowToAsync(subscribers);
            Console.Error.WriteLine($"  {swarm.Count} subscribers open ({opening.Elapsed.TotalSeconds:0.0} s)");
            await Task.Delay(TimeSpan.FromSeconds(settle));

            var load = CpuMeter.LoadAverage();
            var histogram = new LatencyHistogram();
            var gaps = swarm.Gaps;
            var ended = swarm.Ended;
            meter.Start();
            swarm.Record(histogram);
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            swarm.Record(null);
            var cpu = meter.Stop();

            var expected = (double)subscribers * seconds * 1000 / tickMs;
            var p99 = histogram.PercentileMs(0.99);
            if (p99 < bound && swarm.Ended == 0)
            {
                best = subscribers;
            }

            Console.WriteLine(FormattableString.Invariant(
                $"| {subscribers} | {histogram.PercentileMs(0.50):0.0} | {histogram.PercentileMs(0.90):0.0} | {p99:0.0} | {histogram.PercentileMs(0.999):0.0} | {histogram.MaxMs:0.0} | {100 * histogram.Count / expected:0.0} % | {swarm.Gaps - gaps} | {swarm.Ended - ended} | {Cpu(cpu)} | {load} |"));
            if (swarm.Ended > 0 && swarm.Ended == swarm.Count)
            {
                Console.WriteLine("every subscriber was dropped; stopping");
                break;
            }
        }

        if (!latencyPreset)
        {
            Console.WriteLine(best > 0
                ? $"largest step with p99 < {bound} ms and no subscriber dropped: {best} subscribers at {1000.0 / tickMs:0.#} events/s"
                : $"no step had p99 < {bound} ms");
        }
    }

    public static async Task MarketAsync(BenchArgs args)
    {
        var clients = args.Int("clients", 16);
        var seconds = args.Int("seconds", 10);
        var settle = args.Int("settle", 15);
        Console.WriteLine($"{Environment.ProcessorCount} cores; {clients} closed-loop clients; {seconds} s after {settle} s settling and 3 s warm-up; load average before start {CpuMeter.LoadAverage()}");
        await using var gateway = await PushGateway.StartAsync(250, args.Text("api-dir"));
        var meter = new CpuMeter(new Dictionary<string, int>(gateway.Processes) { ["bench"] = Environment.ProcessId });
        Console.WriteLine($"gateway up: API {gateway.ApiBase}");

        // The worker's own start-up work (JIT, first sweeps) is over before the clock starts.
        await Task.Delay(TimeSpan.FromSeconds(settle));
        await MarketLoad.RunAsync(gateway.ApiBase, clients, TimeSpan.FromSeconds(3));
        var load = CpuMeter.LoadAverage();
        meter.Start();
        var result = await MarketLoad.RunAsync(gateway.ApiBase, clients, TimeSpan.FromSeconds(seconds));
        var cpu = meter.Stop();
        var body = result.FirstBody is { } b && b.IndexOf('{', StringComparison.Ordinal) is var open and >= 0 ? b[open..(b.LastIndexOf('}') + 1)] : "(none)";
        Console.WriteLine($"sample response body: {body}");
        Console.WriteLine("| clients | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU % api / worker / azurite / bench / others | load avg (1/5/15 min) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|---|");
        var h = result.Latency;
        Console.WriteLine(FormattableString.Invariant(
            $"| {clients} | {result.Requests / result.Seconds:0} | {h.PercentileMs(0.50):0.00} | {h.PercentileMs(0.90):0.00} | {h.PercentileMs(0.99):0.00} | {h.MaxMs:0.0} | {result.Errors} | {Cpu(cpu)} | {load} |"));
    }

    private static string Cpu((Dictionary<string, double> Processes, double MachineBusyPercent, double OthersPercent) cpu)
    {
        string Of(string name) => cpu.Processes.TryGetValue(name, out var v) ? v.ToString("0", CultureInfo.InvariantCulture) : "?";
        return FormattableString.Invariant($"{Of("api")} / {Of("worker")} / {Of("azurite")} / {Of("bench")} / {cpu.OthersPercent:0} (machine {cpu.MachineBusyPercent:0} % busy)");
    }
}
