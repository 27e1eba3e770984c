using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage.Leadership;

/// <summary>
/// The lease that makes one worker the leader: a Blob storage lease on the well-known blob
/// <c>{prefix}leases/worker-leader</c> (<see cref="LeaseBlob"/>). Blob storage grants it to one lease id at
/// a time, for <see cref="WorkerLeaseOptions.Duration"/> from each acquire or renewal; nobody else can
/// acquire it until it is released or runs out.
/// </summary>
/// <remarks>
/// <para>Invariant: <see cref="IsHeld"/> is true only before <see cref="WorkDeadline"/>, which lies
/// <see cref="WorkerLeaseOptions.SafetyMargin"/> before the earliest moment the service can give the lease to
/// someone else. The validity is counted from when the successful request was <em>sent</em>, so it never
/// runs later than the service's own clock, which starts on receipt. It is measured on the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>), never on the wall clock: a wall clock set back (or forward) by
/// an operator or a time sync neither extends nor shortens it. The wall-clock times
/// (<see cref="ValidUntil"/>, <see cref="WorkDeadline"/>) are estimates from the time left, for logs.</para>
/// <para>Outcomes: "someone else holds it" and "it is no longer ours" are answers (<c>false</c>); a request
/// that failed in transit, timed out or met a server error throws <see cref="StorageUnavailableException"/>,
/// because then the lease's state is unknown and the caller decides by time. Acquire proposes this
/// instance's fixed lease id, so an acquire whose answer was lost and is sent again succeeds.</para>
/// <para>One caller drives the lease (the worker's leadership loop); <see cref="IsHeld"/> and the times may be
/// read from any thread.</para>
/// </remarks>
public sealed class WorkerLease
{
    private readonly BlobClient _blob;
    private readonly BlobLeaseClient _lease;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long? _sentAt;
    private volatile bool _blobReady;

    /// <summary>A lease on <paramref name="blob"/>, proposing <paramref name="leaseId"/> (a new GUID when null).</summary>
    public WorkerLease(BlobClient blob, WorkerLeaseOptions options, TimeProvider clock, string? leaseId = null)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (options.RenewInterval >= options.Duration - options.SafetyMargin)
        {
            throw new ArgumentException("The lease must be renewed before its work deadline (renew interval < duration - safety margin).", nameof(options));
        }

        _blob = blob;
        _lease = blob.GetBlobLeaseClient(leaseId ?? Guid.NewGuid().ToString());
        _clock = clock;
        Options = options;
    }

    /// <summary>The lease of the configured storage account and prefix, with the duration of <c>VELOZ_WORKER_LEASE_SECONDS</c>.</summary>
    public static WorkerLease Create(StorageOptions options, TimeProvider clock, StorageConnection? connection = null)
    {
        var leaseOptions = WorkerLeaseOptions.From(options);
        return new WorkerLease(LeaseBlob.Create(options, leaseOptions.RequestTimeout, connection), leaseOptions, clock);
    }

    public WorkerLeaseOptions Options { get; }

    /// <summary>The lease id this instance acquires with (not a secret: it only matters to the blob's lease).</summary>
    public string LeaseId => _lease.LeaseId;

    /// <summary><c>container/blob</c>, for logs.</summary>
    public string Name => $"{_blob.BlobContainerName}/{_blob.Name}";

    /// <summary>
    /// How long the service holds the lease for us at the latest (negative once that is past), measured on the
    /// monotonic clock from when the last successful acquire or renewal was sent; null when it is not ours.
    /// </summary>
    public TimeSpan? TimeLeft
    {
        get
        {
            long? sentAt;
            lock (_gate)
            {
                sentAt = _sentAt;
            }

            return sentAt is { } sent ? Options.Duration - _clock.GetElapsedTime(sent) : null;
        }
    }

    /// <summary>How long leader work may go on unless a renewal succeeds first (<see cref="TimeLeft"/> less the safety margin); null when the lease is not ours.</summary>
    public TimeSpan? WorkTimeLeft => TimeLeft - Options.SafetyMargin;

    /// <summary>Until when the service holds the lease for us at the latest, on the wall clock (an estimate for logs), or null when it is not ours.</summary>
    public DateTimeOffset? ValidUntil => TimeLeft is { } left ? _clock.GetUtcNow() + left : null;

    /// <summary>When leader work must have stopped unless a renewal succeeds first, on the wall clock (an estimate for logs), or null when the lease is not ours.</summary>
    public DateTimeOffset? WorkDeadline => WorkTimeLeft is { } left ? _clock.GetUtcNow() + left : null;

    /// <summary>True while the lease is ours with time to spare (<see cref="WorkTimeLeft"/> is positive).</summary>
    public bool IsHeld => WorkTimeLeft > TimeSpan.Zero;

    /// <summary>
    /// Asks for the lease (creating its container and blob first if needed). True: it is ours for
    /// <see cref="WorkerLeaseOptions.Duration"/>. False: someone else holds it (or it is being broken).
    /// </summary>
    /// <exception cref="StorageUnavailableException">The request failed; nothing is known.</exception>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!_blobReady)
            {
                await EnsureBlobAsync(cancellationToken).ConfigureAwait(false);
            }

            var sent = _clock.GetTimestamp();
            try
            {
                await Guard(() => _lease.AcquireAsync(Options.Duration, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                Hold(sent);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // LeaseAlreadyPresent, LeaseIsBreakingAndCannotBeAcquired.
                return false;
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && attempt == 0)
            {
                // The container or the blob was deleted since we made them.
                _blobReady = false;
            }
        }
    }

    /// <summary>
    /// Renews the lease for another <see cref="WorkerLeaseOptions.Duration"/>. False: the service says it is no
    /// longer ours (released, broken, taken by another id, or the blob is gone); from then on
    /// <see cref="IsHeld"/> is false.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The request failed; the lease may still be ours until <see cref="WorkDeadline"/>.</exception>
    public async Task<bool> TryRenewAsync(CancellationToken cancellationToken)
    {
        var sent = _clock.GetTimestamp();
        try
        {
            await Guard(() => _lease.RenewAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsNotOurs(ex))
        {
            Forget();
            return false;
        }

        Hold(sent);
        return true;
    }

    /// <summary>
    /// Gives the lease up at once, so another worker can acquire it without waiting for it to run out.
    /// <see cref="IsHeld"/> is false from the moment this is called. False: it was not ours any more.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The request failed; the lease then simply runs out.</exception>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        Forget();
        try
        {
            await Guard(() => _lease.ReleaseAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (IsNotOurs(ex))
        {
            return false;
        }
    }

    /// <summary>Stops counting the lease as ours (it ran out before a renewal succeeded); nothing is sent.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _sentAt = null;
        }
    }

    /// <summary>Counts the lease as ours for <see cref="WorkerLeaseOptions.Duration"/> from <paramref name="sent"/>, a monotonic timestamp.</summary>
    private void Hold(long sent)
    {
        lock (_gate)
        {
            _sentAt = sent;
        }
    }

    // 409 LeaseIdMismatchWithLeaseOperation / LeaseNotPresentWithLeaseOperation / LeaseIsBrokenAndCannotBeRenewed,
    // 412 lease conditions, 404 blob or container gone, 400 malformed lease id.
    private static bool IsNotOurs(RequestFailedException ex) => ex.Status is 400 or 404 or 409 or 412;

    private async Task EnsureBlobAsync(CancellationToken cancellationToken)
    {
        var container = _blob.GetParentBlobContainerClient();
        await Guard(() => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            // An empty blob, created only if there is none: never overwrite one that another worker holds.
            var upload = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await Guard(() => _blob.UploadAsync(BinaryData.Empty, upload, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // BlobAlreadyExists, or it exists and is leased.
        }

        _blobReady = true;
    }

    /// <summary>Turns transport failures, timeouts, throttling and server errors into <see cref="StorageUnavailableException"/>.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 0 or 408 or 429 or >= 500)
        {
            throw new StorageUnavailableException($"Blob storage failed (HTTP {ex.Status}, {ex.ErrorCode ?? "no error code"}).", ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is RequestFailedException or HttpRequestException or OperationCanceledException or IOException))
        {
            throw new StorageUnavailableException("Blob storage is unreachable.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new StorageUnavailableException("Blob storage is unreachable.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The SDK's per-request timeout.
            throw new StorageUnavailableException("Blob storage did not answer in time.", ex);
        }
    }
}
