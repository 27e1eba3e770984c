namespace VeloZ.Domain.Configuration;

/// <summary>
/// Identity-based access to the storage account, in the Azure Functions convention: when
/// <c>AzureWebJobsStorage</c> holds no connection string, <c>AzureWebJobsStorage__accountName</c> (or the
/// service URIs <c>AzureWebJobsStorage__tableServiceUri</c> / <c>__queueServiceUri</c> / <c>__blobServiceUri</c>)
/// name the account, and a Microsoft Entra token (managed identity in Azure, the developer's login locally)
/// replaces the account key. <c>AzureWebJobsStorage__clientId</c> picks a user-assigned managed identity.
/// Invariant: <see cref="TableServiceUri"/> is always set; the other endpoints are set when the account
/// name or their own setting gave them.
/// </summary>
public sealed record StorageIdentityOptions
{
    /// <summary><c>AzureWebJobsStorage__accountName</c>, when given.</summary>
    public string? AccountName { get; init; }

    /// <summary>Table endpoint: <c>AzureWebJobsStorage__tableServiceUri</c>, else <c>https://{account}.table.core.windows.net</c>.</summary>
    public required Uri TableServiceUri { get; init; }

    /// <summary>Queue endpoint: <c>AzureWebJobsStorage__queueServiceUri</c>, else <c>https://{account}.queue.core.windows.net</c>.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>Blob endpoint: <c>AzureWebJobsStorage__blobServiceUri</c>, else <c>https://{account}.blob.core.windows.net</c>.</summary>
    public Uri? BlobServiceUri { get; init; }

    /// <summary><c>AzureWebJobsStorage__clientId</c>: the client id of a user-assigned managed identity; null = system-assigned or developer login.</summary>
    public string? ClientId { get; init; }
}
