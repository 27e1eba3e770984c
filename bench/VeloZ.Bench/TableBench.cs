using System.Diagnostics;
using Azure.Data.Tables;
using VeloZ.Domain.Orders;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Bench;

/// <summary>
/// What one Table storage round trip costs on Azurite, and what grouping buys: order-sized entities
/// written one request each (at several concurrencies) and as entity-group transactions of several sizes.
/// This is the floor under the order path's numbers.
/// </summary>
internal static class TableBench
{
    public static async Task RunAsync(BenchArgs args)
    {
        var count = args.Int("entities", 4000);
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var service = new TableServiceClient(azurite.ConnectionString);
            var run = 0;
            Console.WriteLine($"{Environment.ProcessorCount} cores, {count} order-sized entities per row");
            Console.WriteLine("| how | requests in flight | entities/s | requests/s | ms per request (mean) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var concurrency in args.Ints("concurrency", [1, 4, 16, 64]))
            {
                var table = service.GetTableClient($"benchsingle{run++}");
                await table.CreateIfNotExistsAsync();
                await WriteAsync(table, 200, 1, concurrency, "warm");
                var (elapsed, requests) = await WriteAsync(table, count, 1, concurrency, "x");
                Report("one entity per request", concurrency, count, requests, elapsed);
            }

            foreach (var batch in args.Ints("batch", [10, 50, 100]))
            {
                foreach (var concurrency in new[] { 1, 4 })
                {
                    var table = service.GetTableClient($"benchbatch{run++}");
                    await table.CreateIfNotExistsAsync();
                    await WriteAsync(table, 400, batch, concurrency, "warm");
                    var (elapsed, requests) = await WriteAsync(table, count, batch, concurrency, "x");
                    Report($"transactions of {batch}", concurrency, count, requests, elapsed);
                }
            }
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static void Report(string how, int concurrency, int entities, int requests, TimeSpan elapsed) =>
        Console.WriteLine(FormattableString.Invariant(
            $"| {how} | {concurrency} | {entities / elapsed.TotalSeconds:0} | {requests / elapsed.TotalSeconds:0} | {elapsed.TotalMilliseconds * concurrency / requests:0.00} |"));

    private static async Task<(TimeSpan Elapsed, int Requests)> WriteAsync(TableClient table, int count, int batch, int concurrency, string prefix)
    {
        var next = -1;
        var requests = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async lane =>
        {
            var partition = $"{prefix}{lane}";
            while (true)
            {
                var start = Interlocked.Add(ref next, batch) - batch + 1;
                if (start >= count)
                {
                    return;
                }

                var n = Math.Min(batch, count - start);
                if (batch == 1)
                {
                    await table.AddEntityAsync(Entity(partition, start));
                }
                else
                {
                    await table.SubmitTransactionAsync(Enumerable.Range(start, n).Select(i => new TableTransactionAction(TableTransactionActionType.Add, Entity(partition, i))));
                }

                Interlocked.Increment(ref requests);
            }
        }));
        return (clock.Elapsed, requests);
    }

    /// <summary>A stored order row as the gateway writes it, in the given partition (a transaction needs one).</summary>
    private static TableEntity Entity(string partition, int i)
    {
        var entity = OrderRepository.ToEntity(OrderStateMachine.New($"bench-{i:D8}", "BTCUSDT", OrderSide.Buy, 0.001m, 10000.5m, 1_764_000_000_000_000_000L + i));
        entity.PartitionKey = partition;
        return entity;
    }
}
