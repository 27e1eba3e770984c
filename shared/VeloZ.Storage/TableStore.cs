using Azure;
using Azure.Data.Tables;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage;

/// <summary>
/// Owns the Table storage connection and the names of VeloZ's tables. Every table name is
/// <c>{prefix}{name}</c> (<c>VELOZ_STORAGE_PREFIX</c>), so several gateways or test runs can share
/// one account. Tables are created at start-up by <see cref="EnsureCreatedAsync"/>.
/// </summary>
public sealed class TableStore
{
    /// <summary>Latest tick per symbol: PartitionKey <c>market</c>, RowKey symbol.</summary>
    public const string MarketTable = "market";

    /// <summary>Worker status: PartitionKey <c>worker</c>, RowKey <c>status</c>.</summary>
    public const string StatusTable = "status";

    /// <summary>Account balances: PartitionKey <c>account</c>, RowKey asset.</summary>
    public const string AccountTable = "account";

    /// <summary>The event log: PartitionKey id bucket (id / <c>100000</c>, zero-padded), RowKey id (zero-padded).</summary>
    public const string EventsTable = "events";

    /// <summary>Order, fill and error events for <c>GET /api/orders</c>: PartitionKey <c>recent</c>, RowKey inverted id (newest first).</summary>
    public const string RecentTable = "recent";

    /// <summary>API keys of the HTTP API: PartitionKey <c>apikey</c>, RowKey key id; only a SHA-256 of each key is kept.</summary>
    public const string ApiKeysTable = "apikeys";

    /// <summary>Operator switches, such as the trading mode: PartitionKey <c>trading</c>, RowKey <c>mode</c>.</summary>
    public const string ControlTable = "control";

    /// <summary>Venue order id → client order id (<see cref="VenueOrderIndex"/>): PartitionKey symbol, RowKey venue order id.</summary>
    public const string VenueOrdersTable = "venueorders";

    /// <summary>Reconciliation's <c>myTrades</c> cursors (<see cref="TradeCursorRepository"/>): PartitionKey <c>mytrades</c>, RowKey symbol.</summary>
    public const string CursorsTable = "cursors";

    /// <summary>Every VeloZ table. Orders live in <c>orders0</c>..<c>orders3</c>, one partition each, RowKey client order id (<see cref="OrderKeys"/>).</summary>
    private static readonly string[] s_tables = [MarketTable, StatusTable, .. OrderKeys.Tables, AccountTable, EventsTable, RecentTable, ApiKeysTable, ControlTable, VenueOrdersTable, CursorsTable];

    private readonly TableServiceClient _service;
    private readonly TableServiceClient _conditional;
    private readonly string _prefix;

    public TableStore(StorageOptions options)
        : this(options, StorageConnection.FromOptions(options))
    {
    }

    /// <summary>The store on an already chosen <paramref name="connection"/> (connection string or identity).</summary>
    public TableStore(StorageOptions options, StorageConnection connection)
        : this(options, connection, configure: null)
    {
    }

    /// <summary>
    /// The store on <paramref name="connection"/>, with <paramref name="configure"/> applied to the SDK's client
    /// options before VeloZ's retry settings (tests add pipeline policies through it).
    /// </summary>
    internal TableStore(StorageOptions options, StorageConnection connection, Action<TableClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        var clientOptions = new TableClientOptions();
        configure?.Invoke(clientOptions);
        // Fail fast enough for an HTTP request to answer 503 rather than hang: a request waits at most
        // about 3 tries of a few seconds, never the SDK's default minute.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        // A conditional write is never sent again by the SDK: when the answer to a write that landed is lost,
        // the re-sent write meets its own ETag change (412) and would read as another writer's. Its caller
        // finds out what happened by reading the row back.
        var conditionalOptions = new TableClientOptions();
        configure?.Invoke(conditionalOptions);
        conditionalOptions.Retry.MaxRetries = 0;
        conditionalOptions.Retry.NetworkTimeout = clientOptions.Retry.NetworkTimeout;
        try
        {
            _service = connection.CreateTableServiceClient(clientOptions);
            _conditional = connection.CreateTableServiceClient(conditionalOptions);
            Rows = TableRowClient.Create(connection, clientOptions.Retry.NetworkTimeout);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            // The SDK's message can quote the connection string; ours never does.
            throw new GatewayConfigurationException([new ConfigurationError(ConfigurationVariables.StorageConnection, "is not a valid storage connection string (value not shown)")]);
        }

        _prefix = options.StoragePrefix;
    }

    /// <summary>
    /// What sends the order path's row writes: VeloZ's REST writer (<see cref="TableRowClient"/>), never re-sent
    /// automatically (see <see cref="OrderRowWriter"/>). Read at each write, so the order benchmark can put
    /// <see cref="CreateSdkRowClient"/> in its place before the first order and compare the two.
    /// </summary>
    internal IRowWriteClient Rows { get; set; }

    /// <summary>
    /// The same writes on the Azure SDK, through the clients with retries off (<see cref="ConditionalTable"/>):
    /// what the order benchmark compares the REST writer with (docs/benchmarks.md, "Order-row writers compared").
    /// </summary>
    internal IRowWriteClient CreateSdkRowClient() => new SdkRowClient(fullName => _conditional.GetTableClient(fullName));

    /// <summary>The full name of one VeloZ table in the account (with the prefix).</summary>
    public string TableName(string name) => _prefix + name;

    /// <summary>The client of one VeloZ table, by its short name (e.g. <see cref="MarketTable"/>).</summary>
    public TableClient Table(string name) => _service.GetTableClient(_prefix + name);

    /// <summary>
    /// The client of one VeloZ table for conditional (ETag-checked) writes: the SDK never re-sends a request,
    /// so an unknown outcome reaches the caller, who reads the row back instead of meeting its own write as a
    /// conflict.
    /// </summary>
    public TableClient ConditionalTable(string name) => _conditional.GetTableClient(_prefix + name);

    /// <summary>Creates every VeloZ table that does not exist yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var name in s_tables)
        {
            await Guard(() => Table(name).CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Point read of one entity; null when the entity or its table does not exist yet (the API can be
    /// asked before the worker ever created anything).
    /// </summary>
    public static async Task<TableEntity?> GetIfExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            var response = await Guard(() => table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Every entity matching <paramref name="filter"/>, page by page; nothing when the table does not
    /// exist yet; transport failures and server errors become <see cref="StorageUnavailableException"/>.
    /// </summary>
    public static IAsyncEnumerable<TableEntity> QueryAsync(TableClient table, string? filter, CancellationToken cancellationToken) =>
        QueryAsync(table, filter, select: null, cancellationToken);

    /// <summary>
    /// As <see cref="QueryAsync(TableClient, string?, CancellationToken)"/>, each entity carrying only the
    /// <paramref name="select"/>ed columns (and its keys) when given: what a scan that only ranks rows sends.
    /// </summary>
    public static async IAsyncEnumerable<TableEntity> QueryAsync(TableClient table, string? filter, IEnumerable<string>? select, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var pages = table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await Guard(async () => await pages.MoveNextAsync()).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    yield break;
                }

                if (!more)
                {
                    yield break;
                }

                foreach (var entity in pages.Current.Values)
                {
                    yield return entity;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a write to one of VeloZ's tables; if the table does not exist yet (a process wrote before the
    /// start-up creation finished), creates it and writes once more.
    /// </summary>
    public async Task<T> WriteAsync<T>(string table, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            return await Guard(write).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            await Guard(() => Table(table).CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
            return await Guard(write).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the tables, waiting out a storage outage (storage may start after VeloZ, e.g. Azurite beside
    /// it) with jittered exponential backoff up to 5 s; <paramref name="onWaiting"/> hears each failed attempt.
    /// Returns the number of attempts it took.
    /// </summary>
    public Task<int> EnsureCreatedWithRetryAsync(TimeProvider clock, Action<int, string> onWaiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onWaiting);
        return StorageRetry.UntilAnswersAsync(
            async attempt =>
            {
                await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
                return attempt;
            },
            (attempt, reason) => onWaiting(attempt, reason),
            TimeSpan.FromMilliseconds(250),
            clock,
            cancellationToken);
    }

    /// <summary>Runs a storage call, turning transport failures and server errors into <see cref="StorageUnavailableException"/>.</summary>
    public static Task<T> Guard<T>(Func<Task<T>> call) => StorageCalls.GuardAsync("Table storage", call);
}
