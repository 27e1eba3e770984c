namespace VeloZ.Domain.Configuration;

/// <summary>
/// The storage account (connection string or identity), the names in it, how long the event log keeps events
/// and the blob lease that picks the leading worker. Each property is named after its variable
/// (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record StorageOptions
{
    /// <summary>
    /// <c>AzureWebJobsStorage</c>: the storage connection string (may carry an account key). Empty when
    /// <see cref="StorageIdentity"/> is set.
    /// </summary>
    public Secret StorageConnectionString { get; init; } = new("UseDevelopmentStorage=true");

    /// <summary>
    /// Identity-based storage access (<c>AzureWebJobsStorage__accountName</c>, <c>__tableServiceUri</c>, ...),
    /// used only when <c>AzureWebJobsStorage</c> holds no connection string; null = the connection string is used.
    /// </summary>
    public StorageIdentityOptions? StorageIdentity { get; init; }

    /// <summary><c>VELOZ_STORAGE_PREFIX</c>: prefix of every table, queue and container name.</summary>
    public string StoragePrefix { get; init; } = "veloz";

    /// <summary><c>VELOZ_EVENT_RETENTION_HOURS</c>: how long the event log keeps events for resuming clients.</summary>
    public int EventRetentionHours { get; init; } = 168;

    /// <summary>
    /// <c>VELOZ_WORKER_LEASE_SECONDS</c>: duration of the blob lease that makes one worker the leader (15-60 s,
    /// Blob storage's limits). A killed leader is replaced after at most about this long.
    /// </summary>
    public int WorkerLeaseSeconds { get; init; } = 15;
}
