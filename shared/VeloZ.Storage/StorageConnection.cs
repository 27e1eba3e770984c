using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage;

/// <summary>
/// How VeloZ reaches its storage account, chosen once from the configuration: the connection string in
/// <c>AzureWebJobsStorage</c> (Azurite locally, or an account key) exactly as given, or, when there is none
/// and the identity-based settings of the Functions convention are present (<c>AzureWebJobsStorage__accountName</c>
/// or <c>__tableServiceUri</c>/<c>__queueServiceUri</c>/<c>__blobServiceUri</c>, optional <c>__clientId</c>), the
/// account's endpoints with a Microsoft Entra token from <see cref="DefaultAzureCredential"/> (the managed
/// identity in Azure, picked by <c>__clientId</c> when user-assigned; the developer's login locally).
/// Clients of other storage services (queues, blobs) are created from the same object: with
/// <see cref="ConnectionString"/> when <see cref="Credential"/> is null, otherwise from their service URI and
/// <see cref="Credential"/>.
/// </summary>
public sealed class StorageConnection
{
    private StorageConnection(Secret connectionString, StorageIdentityOptions? identity, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        Identity = identity;
        Credential = credential;
    }

    /// <summary>The connection string; empty when the identity-based settings are used.</summary>
    public Secret ConnectionString { get; }

    /// <summary>The identity-based settings and endpoints; null when the connection string is used.</summary>
    public StorageIdentityOptions? Identity { get; }

    /// <summary>The token credential for identity-based access; null with a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>True when storage is reached with a Microsoft Entra identity rather than a connection string.</summary>
    public bool UsesIdentity => Credential is not null;

    /// <summary>The client id of the user-assigned managed identity the credential asks for; null = system-assigned or developer login.</summary>
    public string? ManagedIdentityClientId => Identity?.ClientId;

    /// <summary>Chooses between the connection string and the identity-based settings of <paramref name="options"/>.</summary>
    public static StorageConnection FromOptions(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.StorageIdentity is not { } identity)
        {
            return new StorageConnection(options.StorageConnectionString, null, null);
        }

        var credentialOptions = new DefaultAzureCredentialOptions();
        if (identity.ClientId is not null)
        {
            credentialOptions.ManagedIdentityClientId = identity.ClientId;
        }

        return new StorageConnection(Secret.Empty, identity, new DefaultAzureCredential(credentialOptions));
    }

    /// <summary>A queue client: from the connection string, or the queue endpoint and the credential.</summary>
    public Azure.Storage.Queues.QueueClient CreateQueueClient(string queueName, Azure.Storage.Queues.QueueClientOptions clientOptions) =>
        Credential is null
            ? new Azure.Storage.Queues.QueueClient(ConnectionString.Reveal(), queueName, clientOptions)
            : new Azure.Storage.Queues.QueueClient(new Uri((Identity!.QueueServiceUri ?? throw new InvalidOperationException("No queue endpoint is configured (AzureWebJobsStorage__queueServiceUri or __accountName).")).AbsoluteUri.TrimEnd('/') + "/" + queueName), Credential, clientOptions);

    /// <summary>The Blob service client (the worker's leader lease): from the connection string, or the blob endpoint and the credential.</summary>
    public Azure.Storage.Blobs.BlobServiceClient CreateBlobServiceClient(Azure.Storage.Blobs.BlobClientOptions clientOptions) =>
        Credential is null
            ? new Azure.Storage.Blobs.BlobServiceClient(ConnectionString.Reveal(), clientOptions)
            : new Azure.Storage.Blobs.BlobServiceClient(Identity!.BlobServiceUri ?? throw new InvalidOperationException("No blob endpoint is configured (AzureWebJobsStorage__blobServiceUri or __accountName)."), Credential, clientOptions);

    /// <summary>The Table service client: from the connection string, or the table endpoint and the credential.</summary>
    public TableServiceClient CreateTableServiceClient(TableClientOptions clientOptions) =>
        Credential is null
            ? new TableServiceClient(ConnectionString.Reveal(), clientOptions)
            : new TableServiceClient(Identity!.TableServiceUri, Credential, clientOptions);
}
