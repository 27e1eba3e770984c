using Azure.Data.Tables;
using VeloZ.Domain.Numerics;

namespace VeloZ.Storage;

/// <summary>One asset's balance as the venue last reported it.</summary>
public sealed record AssetBalance(string Asset, decimal Free, decimal Locked);

/// <summary>The account snapshot: balances and when the venue reported them.</summary>
public sealed record AccountSnapshot(long TsNs, IReadOnlyList<AssetBalance> Balances);

/// <summary>
/// The account snapshot (PartitionKey <c>account</c>, RowKey asset), written by the worker from the venue
/// (REST <c>account</c> and the user stream's <c>outboundAccountPosition</c>) and read by <c>/api/account</c>.
/// A full snapshot replaces the set of assets; a position update changes only the assets it names.
/// </summary>
public sealed class AccountRepository(TableStore store)
{
    private const string Partition = "account";

    private TableClient Table => store.Table(TableStore.AccountTable);

    /// <summary>Writes the given assets' balances (others untouched), in one batch.</summary>
    public async Task UpsertAsync(long tsNs, IEnumerable<AssetBalance> balances, CancellationToken cancellationToken)
    {
        var actions = balances.Select(b => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, b.Asset)
        {
            ["Free"] = DecimalText.Format(b.Free),
            ["Locked"] = DecimalText.Format(b.Locked),
            ["TsNs"] = tsNs,
        })).ToList();
        foreach (var chunk in actions.Chunk(100))
        {
            await store.WriteAsync(TableStore.AccountTable, () => Table.SubmitTransactionAsync(chunk, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Replaces the snapshot: assets not in <paramref name="balances"/> are removed.</summary>
    public async Task ReplaceAsync(long tsNs, IReadOnlyCollection<AssetBalance> balances, CancellationToken cancellationToken)
    {
        var keep = balances.Select(b => b.Asset).ToHashSet(StringComparer.Ordinal);
        var current = await ReadAsync(cancellationToken);
        await UpsertAsync(tsNs, balances, cancellationToken);
        foreach (var gone in current.Balances.Where(b => !keep.Contains(b.Asset)))
        {
            await TableStore.Guard(() => Table.DeleteEntityAsync(Partition, gone.Asset, cancellationToken: cancellationToken));
        }
    }

    public async Task<AccountSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var balances = new List<AssetBalance>();
        long ts = 0;
        await foreach (var e in TableStore.QueryAsync(Table, $"PartitionKey eq '{Partition}'", cancellationToken))
        {
            balances.Add(new AssetBalance(e.RowKey, DecimalText.Parse(e.GetString("Free") ?? "0"), DecimalText.Parse(e.GetString("Locked") ?? "0")));
            ts = Math.Max(ts, e.GetInt64("TsNs") ?? 0);
        }

        return new AccountSnapshot(ts, [.. balances.OrderBy(b => b.Asset, StringComparer.Ordinal)]);
    }
}
