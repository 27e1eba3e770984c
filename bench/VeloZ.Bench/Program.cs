using System.Globalization;
using VeloZ.Bench;

// VeloZ benchmarks. The first argument picks one:
//
//   orders [seconds-per-step] [rates...]      POST /api/order, open loop (in-process API and venue)
//          [--writers sdk,rest] [--rounds N]  order-row writers compared, alternating, one sweep each per round
//   sse-latency [--subs N] [--tick-ms MS] [--seconds S]
//                                             venue tick -> SSE subscriber latency on GET /api/stream
//   sse-capacity [--subs N,N,...] [--tick-ms MS] [--seconds S] [--p99-ms MS]
//                                             subscribers served at a tick rate with p99 under a bound
//   market [--clients N] [--seconds S]        GET /api/market, closed loop
//   table [--entities N] [--concurrency N,..] [--batch N,..]
//                                             Azurite: one entity per request vs entity-group transactions
//
// The push benchmarks run the real worker and standalone API processes from their Release build outputs
// on Azurite, in the default mode (sim market source, sim_engine execution). A first argument that is a
// number runs the order benchmark, as before the modes existed. --api-dir DIR runs the API from another
// build output (a saved copy, to compare before and after a change on the same machine state).
//
//   dotnet run -c Release --project bench/VeloZ.Bench -- <mode> [options]
var mode = args.Length > 0 ? args[0] : "orders";
var rest = args.Length > 0 ? args[1..] : [];
if (int.TryParse(mode, NumberStyles.None, CultureInfo.InvariantCulture, out _))
{
    mode = "orders";
    rest = args;
}

switch (mode)
{
    case "orders":
        await OrderBench.RunAsync(rest);
        return 0;
    case "sse-latency":
        await PushBench.SseAsync(BenchArgs.Parse(rest), latencyPreset: true);
        return 0;
    case "sse-capacity":
        await PushBench.SseAsync(BenchArgs.Parse(rest), latencyPreset: false);
        return 0;
    case "market":
        await PushBench.MarketAsync(BenchArgs.Parse(rest));
        return 0;
    case "table":
        await TableBench.RunAsync(BenchArgs.Parse(rest));
        return 0;
    default:
        await Console.Error.WriteLineAsync($"Unknown benchmark '{mode}': use orders, sse-latency, sse-capacity, market or table.");
        return 2;
}
