namespace VeloZ.Storage;

/// <summary>
/// Where an order row lives: PartitionKey <c>o0</c>..<c>o3</c>, a stable hash of the client order id, and
/// RowKey the client order id. The key still makes a client order id unique (an insert of an existing row
/// fails), a lookup by id is still a point read, and orders share a few partitions, so many of them can be
/// written in one entity-group transaction (<see cref="OrderRowWriter"/>). Four partitions keep each far below
/// a partition's throughput target (about 2,000 entities/s) at rates well beyond Binance's order limits.
/// </summary>
public static class OrderKeys
{
    public const int PartitionCount = 4;

    private static readonly string[] s_partitions = [.. Enumerable.Range(0, PartitionCount).Select(i => "o" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static string Partition(string clientOrderId) => s_partitions[PartitionIndex(clientOrderId)];

    /// <summary>FNV-1a over the id's characters: the same on every process and every .NET version.</summary>
    public static int PartitionIndex(string clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        var hash = 2166136261u;
        foreach (var c in clientOrderId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % PartitionCount);
    }
}
