using Azure.Core;
using Azure.Core.Pipeline;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

/// <summary>A batch of reports for one order: one read, one ETag-checked merge, and a re-read when another writer came first.</summary>
public sealed class OrderRepositoryApplyAllTests(AzuriteFixture azurite)
{
    private const string Id = "apply-all-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RowReads _reads = new(OrderKeys.Table(Id));

    private async Task<(OrderRepository Repository, OrderRepository OtherWriter)> NewRepositoriesAsync()
    {
        var options = new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() };
        var store = new TableStore(options, StorageConnection.FromOptions(options), o => o.AddPolicy(_reads, HttpPipelinePosition.PerRetry));
        await store.EnsureCreatedAsync(Ct);
        var repository = new OrderRepository(store);
        Assert.True(await repository.TryInsertAsync(OrderStateMachine.New(Id, "BTCUSDT", OrderSide.Buy, 0.003m, 40000m, 1), Ct));
        return (repository, new OrderRepository(new TableStore(options)));
    }

    private static OrderEvent[] AckAndTwoFills() =>
    [
        new OrderAcknowledged(2, "77"),
        new OrderFilled(3, "77", new OrderFill(501, 0.001m, 40000m, 3)),
        new OrderFilled(4, "77", new OrderFill(502, 0.002m, 40000m, 4)),
    ];

    [Fact]
    public async Task A_batch_is_applied_in_order_with_one_read_and_one_write()
    {
        var (repository, _) = await NewRepositoriesAsync();
        var writesBefore = repository.WriteCounters.Requests;

        var transitions = await repository.ApplyAllAsync(Id, AckAndTwoFills(), Ct);

        Assert.Equal([OrderStatus.Accepted, OrderStatus.PartiallyFilled, OrderStatus.Filled], transitions!.Select(t => t.State.Status));
        Assert.Equal(1, _reads.Count);
        Assert.Equal(1, repository.WriteCounters.Requests - writesBefore);
        var stored = (await repository.GetAsync(Id, Ct))!.Value.State;
        Assert.Equal(transitions![^1].State, stored);
        Assert.Equal(("77", 0.003m, 4L), (stored.VenueOrderId, stored.FilledQty, stored.LastTsNs));
    }

    [Fact]
    public async Task A_batch_that_changes_nothing_reads_once_and_writes_nothing()
    {
        var (repository, _) = await NewRepositoriesAsync();
        await repository.ApplyAllAsync(Id, AckAndTwoFills(), Ct);
        var (readsBefore, writesBefore) = (_reads.Count, repository.WriteCounters.Requests);

        var again = await repository.ApplyAllAsync(Id, AckAndTwoFills(), Ct);

        Assert.All(again!, t => Assert.False(t.Changed));
        Assert.Equal(1, _reads.Count - readsBefore);
        Assert.Equal(writesBefore, repository.WriteCounters.Requests);
    }

    [Fact]
    public async Task A_change_by_another_writer_between_read_and_merge_is_read_again_and_kept()
    {
        var (repository, otherWriter) = await NewRepositoriesAsync();
        // Right after this writer's read, the other one requests a cancel: this writer's ETag is stale by its merge.
        _reads.AfterFirstRead = () => otherWriter.ApplyAsync(Id, new CancelRequested(5), Ct);

        var transitions = await repository.ApplyAllAsync(Id, AckAndTwoFills(), Ct);

        Assert.Equal(2, _reads.Count);
        var stored = (await otherWriter.GetAsync(Id, Ct))!.Value.State;
        Assert.True(stored.CancelRequested);
        Assert.Equal((OrderStatus.Filled, 2, "77"), (stored.Status, stored.Fills.Count, stored.VenueOrderId));
        Assert.Equal(transitions![^1].State, stored);
    }

    [Fact]
    public async Task An_unknown_order_gives_null_and_writes_nothing()
    {
        var (repository, _) = await NewRepositoriesAsync();
        var writesBefore = repository.WriteCounters.Requests;

        Assert.Null(await repository.ApplyAllAsync("no-such-order", AckAndTwoFills(), Ct));
        Assert.Equal(writesBefore, repository.WriteCounters.Requests);
    }

    /// <summary>Counts the point reads of one order table; can run a change by another writer right after the first.</summary>
    private sealed class RowReads(string table) : HttpPipelinePolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Func<Task>? AfterFirstRead { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method != RequestMethod.Get || !message.Request.Uri.Path.Contains(table + "(", StringComparison.Ordinal))
            {
                return;
            }

            if (Interlocked.Increment(ref _count) == 1 && AfterFirstRead is { } change)
            {
                await change();
            }
        }
    }
}
