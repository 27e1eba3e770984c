using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;
using VeloZ.Storage.Leadership;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

/// <summary>The leader lease against Azurite's Blob service: real leases, real expiry.</summary>
public sealed class WorkerLeaseTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StorageOptions NewOptions(string? prefix = null) => new()
    {
        StorageConnectionString = new Secret(azurite.ConnectionString),
        StoragePrefix = prefix ?? AzuriteFixture.NewStoragePrefix(),
    };

    private static WorkerLease Contender(StorageOptions options, TimeProvider? clock = null) => WorkerLease.Create(options, clock ?? TimeProvider.System);

    private BlobClient Blob(StorageOptions options) =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(options.StoragePrefix + LeaseBlob.ContainerName).GetBlobClient(LeaseBlob.BlobName);

    [Fact]
    public async Task The_first_contender_gets_the_lease_on_the_well_known_blob_and_a_second_cannot()
    {
        var options = NewOptions();
        var first = Contender(options);
        var second = Contender(options);

        Assert.True(await first.TryAcquireAsync(Ct));
        Assert.False(await second.TryAcquireAsync(Ct));

        Assert.True(first.IsHeld);
        Assert.False(second.IsHeld);
        Assert.Equal($"{options.StoragePrefix}leases/worker-leader", first.Name);
        var properties = (await Blob(options).GetPropertiesAsync(cancellationToken: Ct)).Value;
        Assert.Equal(LeaseState.Leased, properties.LeaseState);
        Assert.Equal(LeaseDurationType.Fixed, properties.LeaseDuration);
        Assert.Equal(0, properties.ContentLength);
    }

    [Fact]
    public async Task Renewing_keeps_the_lease_and_moves_its_validity_forward()
    {
        var options = NewOptions();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var leader = Contender(options, clock);
        var other = Contender(options);
        Assert.True(await leader.TryAcquireAsync(Ct));
        var firstValidity = leader.ValidUntil!.Value;
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(15), firstValidity);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await leader.TryRenewAsync(Ct));

        Assert.Equal(firstValidity + TimeSpan.FromSeconds(5), leader.ValidUntil);
        Assert.False(await other.TryAcquireAsync(Ct));
    }

    [Fact]
    public async Task Acquiring_again_with_the_same_lease_id_succeeds_so_a_lost_answer_can_be_retried()
    {
        var options = NewOptions();
        var leader = Contender(options);

        Assert.True(await leader.TryAcquireAsync(Ct));
        Assert.True(await leader.TryAcquireAsync(Ct));
        Assert.False(await Contender(options).TryAcquireAsync(Ct));
    }

    [Fact]
    public async Task Release_gives_the_lease_up_at_once()
    {
        var options = NewOptions();
        var leader = Contender(options);
        var standby = Contender(options);
        Assert.True(await leader.TryAcquireAsync(Ct));
        Assert.False(await standby.TryAcquireAsync(Ct));

        Assert.True(await leader.ReleaseAsync(Ct));

        Assert.False(leader.IsHeld);
        Assert.True(await standby.TryAcquireAsync(Ct));
        Assert.False(await leader.TryRenewAsync(Ct));
        Assert.False(await leader.ReleaseAsync(Ct));
        Assert.True(standby.IsHeld);
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_runs_out_and_another_contender_takes_over()
    {
        var options = NewOptions();
        var leader = Contender(options);
        var standby = Contender(options);
        Assert.True(await leader.TryAcquireAsync(Ct));
        var acquired = Stopwatch.StartNew();

        // The standby asks every half second, as a worker's standby does every two.
        while (!await standby.TryAcquireAsync(Ct))
        {
            Assert.True(acquired.Elapsed < TimeSpan.FromSeconds(25), "the standby never got the lease");
            await Task.Delay(500, Ct);
        }

        var takeover = acquired.Elapsed;
        Assert.InRange(takeover, TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(18));
        Assert.True(standby.IsHeld);
        // The old holder's renewal is refused: the lease has another id now.
        Assert.False(await leader.TryRenewAsync(Ct));
        Assert.False(leader.IsHeld);
    }

    [Fact]
    public async Task The_work_deadline_comes_a_safety_margin_before_the_lease_can_run_out()
    {
        var options = NewOptions() with { WorkerLeaseSeconds = 20 };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var leader = Contender(options, clock);
        Assert.True(await leader.TryAcquireAsync(Ct));
        Assert.Equal(TimeSpan.FromSeconds(4), leader.Options.SafetyMargin);
        Assert.Equal(TimeSpan.FromSeconds(20) / 3, leader.Options.RenewInterval);

        clock.Advance(TimeSpan.FromSeconds(16) - TimeSpan.FromMilliseconds(1));
        Assert.True(leader.IsHeld);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(leader.IsHeld);
        Assert.Equal(leader.ValidUntil - TimeSpan.FromSeconds(4), leader.WorkDeadline);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(60)]
    public async Task A_wall_clock_that_jumps_neither_extends_nor_shortens_the_lease(int jumpMinutes)
    {
        var options = NewOptions();
        var clock = new JumpingClock(DateTimeOffset.UtcNow);
        var leader = Contender(options, clock);
        Assert.True(await leader.TryAcquireAsync(Ct));

        // An operator or a time sync sets the wall clock back (or forward); the monotonic clock runs on.
        clock.JumpWallClock(TimeSpan.FromMinutes(jumpMinutes));
        clock.Advance(TimeSpan.FromSeconds(12) - TimeSpan.FromMilliseconds(1));
        Assert.True(leader.IsHeld);
        Assert.Equal(TimeSpan.FromMilliseconds(1), leader.WorkTimeLeft);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(leader.IsHeld);
    }

    [Fact]
    public async Task A_renewal_counts_the_lease_from_when_it_was_sent_not_from_its_answer()
    {
        var options = NewOptions();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var slow = new SlowAnswers(clock);
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.AddPolicy(slow, HttpPipelinePosition.PerRetry);
        var blob = new BlobServiceClient(azurite.ConnectionString, clientOptions)
            .GetBlobContainerClient(options.StoragePrefix + LeaseBlob.ContainerName)
            .GetBlobClient(LeaseBlob.BlobName);
        var leader = new WorkerLease(blob, WorkerLeaseOptions.From(options), clock);
        Assert.True(await leader.TryAcquireAsync(Ct));

        // The renewal's answer takes 2 s to come back.
        slow.Delay = TimeSpan.FromSeconds(2);
        Assert.True(await leader.TryRenewAsync(Ct));

        Assert.Equal(TimeSpan.FromSeconds(15) - TimeSpan.FromSeconds(2), leader.TimeLeft);
        Assert.Equal(TimeSpan.FromSeconds(12) - TimeSpan.FromSeconds(2), leader.WorkTimeLeft);
    }

    [Fact]
    public async Task A_broken_lease_cannot_be_renewed()
    {
        var options = NewOptions();
        var leader = Contender(options);
        Assert.True(await leader.TryAcquireAsync(Ct));

        await Blob(options).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        Assert.False(await leader.TryRenewAsync(Ct));
        Assert.False(leader.IsHeld);
        Assert.True(await Contender(options).TryAcquireAsync(Ct));
    }

    [Fact]
    public async Task A_deleted_lease_blob_is_made_again()
    {
        var options = NewOptions();
        var first = Contender(options);
        Assert.True(await first.TryAcquireAsync(Ct));
        Assert.True(await first.ReleaseAsync(Ct));
        await Blob(options).GetParentBlobContainerClient().DeleteAsync(cancellationToken: Ct);

        Assert.True(await first.TryAcquireAsync(Ct));
        Assert.True(first.IsHeld);
    }

    [Fact]
    public async Task Unreachable_storage_is_unavailable_not_an_answer_and_comes_quickly()
    {
        var options = NewOptions() with { StorageConnectionString = new Secret(Ports.UnreachableStorageConnectionString()) };
        var lease = Contender(options);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<StorageUnavailableException>(() => lease.TryAcquireAsync(Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.DoesNotContain(AzuriteFixture.AccountKey, ex.Message, StringComparison.Ordinal);
        Assert.False(lease.IsHeld);
    }

    [Fact]
    public void A_bad_connection_string_names_the_setting_without_showing_it()
    {
        var options = NewOptions() with { StorageConnectionString = new Secret("AccountName=x;AccountKey=not-base64!!") };

        var ex = Assert.Throws<GatewayConfigurationException>(() => Contender(options));

        Assert.Contains("AzureWebJobsStorage", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-base64", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(61)]
    public void Leases_outside_blob_storages_limits_are_refused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerLeaseOptions { Duration = TimeSpan.FromSeconds(seconds) });

    [Fact]
    public void A_lease_renewed_too_rarely_for_its_work_deadline_is_refused()
    {
        var options = new WorkerLeaseOptions { RenewInterval = TimeSpan.FromSeconds(12) };
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("unused").GetBlobClient(LeaseBlob.BlobName);

        Assert.Throws<ArgumentException>(() => new WorkerLease(blob, options, TimeProvider.System));
    }

    /// <summary>A fake clock whose wall clock can jump while its monotonic timestamp does not.</summary>
    private sealed class JumpingClock(DateTimeOffset start) : TimeProvider
    {
        private readonly FakeTimeProvider _monotonic = new(start);
        private TimeSpan _wallOffset;

        public override long TimestampFrequency => _monotonic.TimestampFrequency;

        public void JumpWallClock(TimeSpan by) => _wallOffset += by;

        /// <summary>Time passes: both clocks move.</summary>
        public void Advance(TimeSpan by) => _monotonic.Advance(by);

        public override DateTimeOffset GetUtcNow() => _monotonic.GetUtcNow() + _wallOffset;

        public override long GetTimestamp() => _monotonic.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            _monotonic.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Lets <see cref="Delay"/> of fake time pass between each request and its answer.</summary>
    private sealed class SlowAnswers(FakeTimeProvider clock) : HttpPipelinePolicy
    {
        public TimeSpan Delay { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            clock.Advance(Delay);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            clock.Advance(Delay);
        }
    }
}
