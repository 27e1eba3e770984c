using Azure.Core;
using Azure.Data.Tables;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

/// <summary>
/// The order-row writes on <c>Azure.Data.Tables</c> (the order benchmark's comparison writer), on Azurite: which row of a transaction failed its
/// condition, each row's new ETag, and answers that are lost are never re-sent but reported as unknown.
/// </summary>
public sealed class SdkRowClientTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Shard = "orders0";
    private const string Partition = "o0";

    /// <summary>Loses the answers of writes to the order tables (single rows and transactions), when armed.</summary>
    private readonly LostAnswers _lost = new(r => r.Uri.Path.Contains("orders", StringComparison.Ordinal) || r.Uri.Path.EndsWith("$batch", StringComparison.Ordinal));

    private async Task<TableStore> NewStoreAsync()
    {
        var options = new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() };
        var store = new TableStore(options, StorageConnection.FromOptions(options), o => o.AddPolicy(_lost, HttpPipelinePosition.PerRetry));
        await store.EnsureCreatedAsync(Ct);
        // The order rows on the SDK writer (what the order benchmark compares with the REST writer).
        store.Rows = store.CreateSdkRowClient();
        return store;
    }

    private static RowOperation Insert(string row) =>
        new(new TableEntity(Partition, row) { ["Status"] = "PENDING" }, null, OrderRowWriter.WriteIdColumn, "write-" + row);

    private static RowOperation Merge(string row, string? etag, string status) =>
        new(new TableEntity(Partition, row) { ["Status"] = status }, etag);

    private static Task<TableEntity?> ReadAsync(TableStore store, string row) =>
        TableStore.GetIfExistsAsync(store.Table(Shard), Partition, row, Ct);

    [Fact]
    public async Task A_transaction_whose_second_row_exists_reports_index_1_and_stores_none_of_its_rows()
    {
        var store = await NewStoreAsync();
        var table = store.TableName(Shard);
        Assert.Equal(RowWriteOutcome.Written, (await store.Rows.WriteAsync(table, Insert("b"), Ct)).Outcome);

        var result = await store.Rows.SubmitAsync(table, [Insert("a"), Insert("b"), Insert("c")], Ct);

        Assert.Equal(RowWriteOutcome.ConditionFailed, result.Outcome);
        Assert.Equal(1, result.FailedIndex);
        Assert.Null(await ReadAsync(store, "a"));
        Assert.Null(await ReadAsync(store, "c"));
    }

    [Fact]
    public async Task A_transaction_whose_third_merge_has_a_stale_etag_reports_index_2_and_changes_no_row()
    {
        var store = await NewStoreAsync();
        var table = store.TableName(Shard);
        var inserted = await store.Rows.SubmitAsync(table, [Insert("a"), Insert("b"), Insert("c")], Ct);
        // Someone else changes row c: the ETag from the insert is stale now.
        Assert.Equal(RowWriteOutcome.Written, (await store.Rows.WriteAsync(table, Merge("c", inserted.ETags[2], "CANCELED"), Ct)).Outcome);

        var result = await store.Rows.SubmitAsync(table, [.. new[] { "a", "b", "c" }.Select((row, i) => Merge(row, inserted.ETags[i], "ACCEPTED"))], Ct);

        Assert.Equal(RowWriteOutcome.ConditionFailed, result.Outcome);
        Assert.Equal(2, result.FailedIndex);
        Assert.Equal("PENDING", (await ReadAsync(store, "a"))!.GetString("Status"));
        Assert.Equal("CANCELED", (await ReadAsync(store, "c"))!.GetString("Status"));
    }

    [Fact]
    public async Task A_transaction_answers_each_rows_new_etag_in_order_and_an_insert_stores_its_write_id()
    {
        var store = await NewStoreAsync();

        var result = await store.Rows.SubmitAsync(store.TableName(Shard), [Insert("a"), Insert("b")], Ct);

        Assert.Equal(RowWriteOutcome.Written, result.Outcome);
        var a = await ReadAsync(store, "a");
        var b = await ReadAsync(store, "b");
        Assert.Equal([a!.ETag.ToString(), b!.ETag.ToString()], result.ETags);
        Assert.Equal("write-a", a.GetString(OrderRowWriter.WriteIdColumn));
        Assert.Equal("write-b", b.GetString(OrderRowWriter.WriteIdColumn));
    }

    [Fact]
    public async Task Upserts_alone_and_in_a_transaction_store_their_rows_and_writing_them_again_changes_nothing()
    {
        var store = await NewStoreAsync();
        var table = store.TableName(Shard);
        static RowOperation Upsert(string row) => new(new TableEntity(Partition, row) { ["Status"] = "INDEXED" }, null, Upsert: true);

        Assert.Equal(RowWriteOutcome.Written, (await store.Rows.WriteAsync(table, Upsert("u1"), Ct)).Outcome);
        Assert.Equal(RowWriteOutcome.Written, (await store.Rows.WriteAsync(table, Upsert("u1"), Ct)).Outcome);
        var batch = await store.Rows.SubmitAsync(table, [Upsert("u1"), Upsert("u2")], Ct);

        Assert.Equal(RowWriteOutcome.Written, batch.Outcome);
        Assert.Equal(2, batch.ETags.Count);
        Assert.Equal("INDEXED", (await ReadAsync(store, "u1"))!.GetString("Status"));
        Assert.Equal("INDEXED", (await ReadAsync(store, "u2"))!.GetString("Status"));
    }

    [Fact]
    public async Task A_merge_keeps_the_columns_it_does_not_carry_and_answers_the_rows_new_etag()
    {
        var store = await NewStoreAsync();
        var table = store.TableName(Shard);
        var inserted = await store.Rows.WriteAsync(table, Insert("a"), Ct);

        var merged = await store.Rows.WriteAsync(table, Merge("a", inserted.ETag, "ACCEPTED"), Ct);

        var row = await ReadAsync(store, "a");
        Assert.Equal(RowWriteOutcome.Written, merged.Outcome);
        Assert.Equal(row!.ETag.ToString(), merged.ETag);
        Assert.Equal("ACCEPTED", row.GetString("Status"));
        Assert.Equal("write-a", row.GetString(OrderRowWriter.WriteIdColumn));
    }

    [Fact]
    public async Task A_single_insert_of_an_existing_row_and_a_merge_with_a_stale_etag_fail_their_condition()
    {
        var store = await NewStoreAsync();
        var table = store.TableName(Shard);
        var first = await store.Rows.WriteAsync(table, Insert("a"), Ct);
        Assert.Equal(RowWriteOutcome.Written, (await store.Rows.WriteAsync(table, Merge("a", first.ETag, "ACCEPTED"), Ct)).Outcome);

        var again = await store.Rows.WriteAsync(table, Insert("a"), Ct);
        var stale = await store.Rows.WriteAsync(table, Merge("a", first.ETag, "CANCELED"), Ct);

        Assert.Equal((RowWriteOutcome.ConditionFailed, 0, "HTTP 409"), (again.Outcome, again.FailedIndex, again.Detail));
        Assert.Equal((RowWriteOutcome.ConditionFailed, 0, "HTTP 412"), (stale.Outcome, stale.FailedIndex, stale.Detail));
        Assert.Equal("ACCEPTED", (await ReadAsync(store, "a"))!.GetString("Status"));
    }

    [Fact]
    public async Task A_write_to_a_table_that_does_not_exist_reports_the_table_missing()
    {
        var store = await NewStoreAsync();
        var table = store.TableName("nosuchorders");

        Assert.Equal(RowWriteOutcome.TableMissing, (await store.Rows.WriteAsync(table, Insert("a"), Ct)).Outcome);
        Assert.Equal(RowWriteOutcome.TableMissing, (await store.Rows.SubmitAsync(table, [Insert("a"), Insert("b")], Ct)).Outcome);
    }

    [Fact]
    public async Task An_insert_whose_answer_is_lost_is_sent_once_and_reported_as_an_unknown_outcome_not_a_conflict()
    {
        var store = await NewStoreAsync();
        _lost.DropNextAnswer();

        var result = await store.Rows.WriteAsync(store.TableName(Shard), Insert("a"), Ct);

        Assert.Equal(1, _lost.Dropped);
        // A retrying client would have sent it again and met its own row: 409, a false duplicate.
        Assert.Equal(1, _lost.Sent);
        Assert.Equal(RowWriteOutcome.Unknown, result.Outcome);
        Assert.Equal("write-a", (await ReadAsync(store, "a"))!.GetString(OrderRowWriter.WriteIdColumn));
    }

    [Fact]
    public async Task A_transaction_whose_answer_is_lost_is_sent_once_and_reported_as_an_unknown_outcome()
    {
        var store = await NewStoreAsync();
        _lost.DropNextAnswer();

        var result = await store.Rows.SubmitAsync(store.TableName(Shard), [Insert("a"), Insert("b")], Ct);

        Assert.Equal((1, 1), (_lost.Dropped, _lost.Sent));
        Assert.Equal(RowWriteOutcome.Unknown, result.Outcome);
        Assert.NotNull(await ReadAsync(store, "b"));
    }

    [Fact]
    public async Task An_order_whose_insert_answer_is_lost_is_read_back_by_its_write_id_and_stored_once()
    {
        var store = await NewStoreAsync();
        var repository = new OrderRepository(store);
        _lost.DropNextAnswer();

        var etag = await repository.InsertAsync(OrderStateMachine.New("lost-1", "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1), Ct);

        Assert.Equal((1, 1), (_lost.Dropped, _lost.Sent));
        Assert.NotNull(etag);
        Assert.Equal(etag, (await repository.GetAsync("lost-1", Ct))!.Value.ETag);
        Assert.Equal((1L, 1L), repository.WriteCounters);
    }
}
