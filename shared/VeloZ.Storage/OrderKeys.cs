namespace VeloZ.Storage;

/// <summary>
/// Where an order row lives. A stable hash of the client order id picks one of <see cref="ShardCount"/> shards;
/// shard <c>i</c> is table <c>orders{i}</c> (with the storage prefix), PartitionKey <c>o{i}</c>, and the RowKey is
/// the client order id. The key still makes a client order id unique (an insert of an existing row fails),
/// a lookup by id is still a point read, and the orders of one shard share one partition, so many of them can
/// be written in one entity-group transaction (<see cref="OrderRowWriter"/>). Four shards keep each partition
/// far below its throughput target (about 2,000 entities/s) at rates well beyond Binance's order limits.
/// <para>
/// Why tables and not only partitions: Azurite, the storage of the local default and of the tests, keeps a
/// table's rows in arrays and pays for every replace in proportion to the rows of that table; four tables
/// quarter that cost. In Azure a table's partitions are served independently anyway, so the split costs only
/// the fan-out of the few queries that scan every order (see docs/design-decisions.md).
/// </para>
/// </summary>
public static class OrderKeys
{
    public const int ShardCount = 4;

    /// <summary>The short name of the order tables: shard <c>i</c> is <c>orders{i}</c>.</summary>
    public const string TableStem = "orders";

    private static readonly string[] s_partitions = [.. Enumerable.Range(0, ShardCount).Select(i => "o" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static readonly string[] s_tables = [.. Enumerable.Range(0, ShardCount).Select(i => TableStem + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The short names of the order tables, shard 0 first.</summary>
    public static IReadOnlyList<string> Tables => s_tables;

    public static string Partition(string clientOrderId) => s_partitions[ShardIndex(clientOrderId)];

    /// <summary>The short name of the table that holds the order (<see cref="TableStore.Table"/> adds the prefix).</summary>
    public static string Table(string clientOrderId) => s_tables[ShardIndex(clientOrderId)];

    /// <summary>The short name of the table whose partition is <paramref name="partitionKey"/>.</summary>
    public static string TableOfPartition(string partitionKey)
    {
        var index = Array.IndexOf(s_partitions, partitionKey);
        return index >= 0 ? s_tables[index] : throw new ArgumentException($"'{partitionKey}' is not an order partition.", nameof(partitionKey));
    }

    /// <summary>FNV-1a over the id's characters: the same on every process and every .NET version.</summary>
    public static int ShardIndex(string clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        var hash = 2166136261u;
        foreach (var c in clientOrderId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % ShardCount);
    }
}
