using Azure.Core;
using VeloZ.Domain.Configuration;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

/// <summary>The id reservation's conditional write on Azurite, with answers lost on the way back.</summary>
public sealed class SequencerRepositoryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly LostAnswers _lost = new(r => r.Uri.Path.Contains(TableStore.StatusTable, StringComparison.Ordinal));

    private async Task<SequencerRepository> NewRepositoryAsync()
    {
        var options = new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() };
        var store = new TableStore(options, StorageConnection.FromOptions(options), o => o.AddPolicy(_lost, HttpPipelinePosition.PerRetry));
        await store.EnsureCreatedAsync(Ct);
        return new SequencerRepository(store);
    }

    [Fact]
    public async Task A_reservation_whose_answer_was_lost_is_found_by_reading_the_row_back_not_taken_for_another_writers()
    {
        var ids = await NewRepositoryAsync();
        var first = await ids.TryReserveAsync(1000, null, "this-worker", Ct);
        Assert.NotNull(first);

        _lost.DropNextAnswer();
        var sentBefore = _lost.Sent;
        var second = await ids.TryReserveAsync(2000, first, "this-worker", Ct);

        Assert.Equal(1, _lost.Dropped);
        Assert.NotNull(second);
        // Sent once, never again blindly: a re-send would meet its own write as a changed row.
        Assert.Equal(sentBefore + 1, _lost.Sent);
        Assert.Equal((2000L, second), await ids.ReadAsync(Ct));
        // The reservation holds: another writer at the old version is still refused.
        Assert.Null(await ids.TryReserveAsync(3000, first, "another-worker", Ct));
    }

    [Fact]
    public async Task A_first_reservation_whose_answer_was_lost_is_found_by_reading_the_row_back()
    {
        var ids = await NewRepositoryAsync();

        _lost.DropNextAnswer();
        var first = await ids.TryReserveAsync(1000, null, "this-worker", Ct);

        Assert.Equal(1, _lost.Dropped);
        Assert.NotNull(first);
        Assert.Equal(1, _lost.Sent);
        Assert.Equal((1000L, first), await ids.ReadAsync(Ct));
    }

    [Fact]
    public async Task A_reservation_moved_by_another_owner_is_still_refused()
    {
        var ids = await NewRepositoryAsync();
        var mine = await ids.TryReserveAsync(1000, null, "this-worker", Ct);
        Assert.NotNull(await ids.TryReserveAsync(2000, mine, "another-worker", Ct));

        Assert.Null(await ids.TryReserveAsync(3000, mine, "this-worker", Ct));
        Assert.Null(await ids.TryReserveAsync(3000, null, "this-worker", Ct));
        Assert.Equal(2000, (await ids.ReadAsync(Ct)).ReservedThrough);
    }
}
