using Azure.Storage.Blobs;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage.Leadership;

/// <summary>
/// The one place that makes the Blob storage client for the leader lease, from the same storage settings
/// the Table store uses (<c>AzureWebJobsStorage</c> or its identity-based <c>AzureWebJobsStorage__*</c>
/// settings, <c>VELOZ_STORAGE_PREFIX</c>), through <see cref="StorageConnection"/>: with a managed identity
/// the lease is taken on the account's blob endpoint with the same Microsoft Entra credential.
/// </summary>
public static class LeaseBlob
{
    /// <summary>The lease container, after the storage prefix: <c>{prefix}leases</c>.</summary>
    public const string ContainerName = "leases";

    /// <summary>The well-known blob whose lease makes a worker the leader.</summary>
    public const string BlobName = "worker-leader";

    /// <summary>
    /// The client of <c>{prefix}leases/worker-leader</c>. The SDK does not retry: the lease loops retry on
    /// their own schedule, and one request never waits longer than <paramref name="requestTimeout"/>.
    /// </summary>
    public static BlobClient Create(StorageOptions options, TimeSpan requestTimeout, StorageConnection? connection = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        connection ??= StorageConnection.FromOptions(options);
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = requestTimeout;
        try
        {
            return connection.CreateBlobServiceClient(clientOptions)
                .GetBlobContainerClient(options.StoragePrefix + ContainerName)
                .GetBlobClient(BlobName);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message can quote the connection string; ours never does.
            throw new GatewayConfigurationException([new ConfigurationError(ConfigurationVariables.StorageConnection, "is not a valid storage connection string (value not shown)")]);
        }
    }
}
