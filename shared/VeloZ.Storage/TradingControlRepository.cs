using Azure.Data.Tables;
using VeloZ.Domain.Security;

namespace VeloZ.Storage;

/// <summary>The trading mode as an admin last set it (<c>normal</c> when never set), and who set it when.</summary>
public sealed record TradingControl(TradingMode Mode, DateTimeOffset? ChangedAt, string? ChangedBy);

/// <summary>
/// The trading brake in the <see cref="TableStore.ControlTable"/> table (PartitionKey <c>trading</c>,
/// RowKey <c>mode</c>). Kept in storage so it survives restarts and holds for every API instance.
/// An unknown stored word reads as <c>cancel_only</c>: a brake that cannot be read stays on.
/// </summary>
public sealed class TradingControlRepository(TableStore store)
{
    private const string Partition = "trading";
    private const string Row = "mode";

    private TableClient Table => store.Table(TableStore.ControlTable);

    public async Task<TradingControl> ReadAsync(CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(Table, Partition, Row, cancellationToken).ConfigureAwait(false) is not { } e)
        {
            return new TradingControl(TradingMode.Normal, null, null);
        }

        var mode = TradingModes.TryParse(e.GetString("Mode"), out var parsed) ? parsed : TradingMode.CancelOnly;
        return new TradingControl(mode, e.GetDateTimeOffset("ChangedAt"), e.GetString("ChangedBy"));
    }

    public Task WriteAsync(TradingControl control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        var entity = new TableEntity(Partition, Row)
        {
            ["Mode"] = control.Mode.ToWire(),
            ["ChangedAt"] = control.ChangedAt,
            ["ChangedBy"] = control.ChangedBy,
        };
        return store.WriteAsync(TableStore.ControlTable, () => Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }
}
