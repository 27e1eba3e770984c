using System.Diagnostics;
using Azure.Data.Tables;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Market;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

public sealed class RepositoryTests(AzuriteFixture azurite)
{
    private TableStore NewStore() => new(new StorageOptions
    {
        StorageConnectionString = new Secret(azurite.ConnectionString),
        StoragePrefix = AzuriteFixture.NewStoragePrefix(),
    });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tables_are_created_with_the_prefix_and_creation_is_idempotent()
    {
        var options = new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() };
        var store = new TableStore(options);

        await store.EnsureCreatedAsync(Ct);
        await store.EnsureCreatedAsync(Ct);

        var service = new TableServiceClient(azurite.ConnectionString);
        var names = new List<string>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(options.StoragePrefix) >= 0, cancellationToken: Ct))
        {
            names.Add(table.Name);
        }

        Assert.Contains(options.StoragePrefix + "market", names);
        Assert.Contains(options.StoragePrefix + "status", names);
    }

    [Fact]
    public async Task Market_tick_is_null_before_the_first_write_even_without_tables()
    {
        var repository = new MarketTickRepository(NewStore());

        Assert.Null(await repository.GetLatestAsync("BTCUSDT", Ct));
    }

    [Theory]
    [InlineData("42000.5")]
    [InlineData("0.00000001")]
    [InlineData("79228162514264.337593543950")]
    [InlineData("42000.50")]
    public async Task Market_tick_round_trips_the_exact_decimal(string price)
    {
        var store = NewStore();
        await store.EnsureCreatedAsync(Ct);
        var repository = new MarketTickRepository(store);
        var tick = new MarketTick("BTCUSDT", decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), 1704067200000000000, 1704067200000000123);

        await repository.UpsertLatestAsync(tick, Ct);
        var read = await repository.GetLatestAsync("BTCUSDT", Ct);

        Assert.Equal(tick, read);
        Assert.Equal(price, read!.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Market_price_is_stored_as_an_invariant_string()
    {
        var store = NewStore();
        await store.EnsureCreatedAsync(Ct);
        await new MarketTickRepository(store).UpsertLatestAsync(new MarketTick("ETHBTC", 0.1m + 0.2m, 1, 2), Ct);

        var entity = (await store.Table(TableStore.MarketTable).GetEntityAsync<TableEntity>("market", "ETHBTC", cancellationToken: Ct)).Value;

        Assert.Equal("0.3", entity["Price"]);
    }

    [Fact]
    public async Task The_latest_write_wins_per_symbol()
    {
        var store = NewStore();
        await store.EnsureCreatedAsync(Ct);
        var repository = new MarketTickRepository(store);

        await repository.UpsertLatestAsync(new MarketTick("BTCUSDT", 1m, 1, 1), Ct);
        await repository.UpsertLatestAsync(new MarketTick("ETHUSDT", 2m, 2, 2), Ct);
        await repository.UpsertLatestAsync(new MarketTick("BTCUSDT", 3m, 3, 3), Ct);

        Assert.Equal(3m, (await repository.GetLatestAsync("BTCUSDT", Ct))!.Price);
        Assert.Equal(2m, (await repository.GetLatestAsync("ETHUSDT", Ct))!.Price);
    }

    [Fact]
    public async Task Worker_status_round_trips()
    {
        var store = NewStore();
        await store.EnsureCreatedAsync(Ct);
        var repository = new WorkerStatusRepository(store);
        var start = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var status = new WorkerStatus("host-1", start, start.AddSeconds(4), MarketFeedStates.Error, "market_source_error", 1704067200000000000, true);

        Assert.Null(await repository.ReadAsync(Ct));
        await repository.WriteAsync(status, Ct);

        Assert.Equal(status, await repository.ReadAsync(Ct));
    }

    [Fact]
    public async Task Unreachable_storage_fails_fast_with_a_message_free_of_the_connection_string()
    {
        var connection = Ports.UnreachableStorageConnectionString();
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(connection), StoragePrefix = "unreach" });
        var repository = new MarketTickRepository(store);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<StorageUnavailableException>(() => repository.GetLatestAsync("BTCUSDT", Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.DoesNotContain(AzuriteFixture.AccountKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_a_configuration_error_that_does_not_echo_it()
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => new TableStore(new StorageOptions { StorageConnectionString = new Secret("AccountKey=c2VjcmV0;garbage") }));

        Assert.Equal("AzureWebJobsStorage", Assert.Single(ex.Errors).Variable);
        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
    }
}
