using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>Reads and validates <see cref="StorageOptions"/>: the account, the names in it, retention and the leader lease.</summary>
internal static partial class StorageSettings
{
    public static StorageOptions Read(SettingReader settings)
    {
        var defaults = new StorageOptions();
        var options = new StorageOptions
        {
            StoragePrefix = ReadStoragePrefix(settings, defaults.StoragePrefix),
            EventRetentionHours = settings.Int(V.EventRetentionHours, defaults.EventRetentionHours, 1, 24 * 366),
            // Blob storage grants fixed leases of 15 to 60 seconds.
            WorkerLeaseSeconds = settings.Int(V.WorkerLeaseSeconds, defaults.WorkerLeaseSeconds, 15, 60),
        };

        // A connection string, when there is one, is used exactly as given. Otherwise the identity-based
        // settings of the Functions convention (AzureWebJobsStorage__accountName, ...; in configuration
        // AzureWebJobsStorage:accountName) name the account; with neither, Azurite's development storage.
        if (settings.Read(V.StorageConnection) is { } connectionString)
        {
            return options with { StorageConnectionString = new Secret(connectionString) };
        }

        return ReadStorageIdentity(settings) is { } identity
            ? options with { StorageConnectionString = Secret.Empty, StorageIdentity = identity }
            : options;
    }

    private static StorageIdentityOptions? ReadStorageIdentity(SettingReader settings)
    {
        string? Read(string name) => settings.Read(name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal));
        var accountName = Read(V.StorageAccountName);
        var (tableText, queueText, blobText) = (Read(V.StorageTableServiceUri), Read(V.StorageQueueServiceUri), Read(V.StorageBlobServiceUri));
        var clientId = Read(V.StorageClientId);
        if (accountName is null && tableText is null && queueText is null && blobText is null)
        {
            if (clientId is not null)
            {
                settings.Fail(V.StorageClientId, $"is set but no storage account is: set {V.StorageAccountName} (or {V.StorageTableServiceUri}), or a connection string in {V.StorageConnection}");
            }

            return null;
        }

        var tableUri = ReadServiceUri(settings, tableText, V.StorageTableServiceUri);
        var queueUri = ReadServiceUri(settings, queueText, V.StorageQueueServiceUri);
        var blobUri = ReadServiceUri(settings, blobText, V.StorageBlobServiceUri);
        if (accountName is not null && !StorageAccountPattern().IsMatch(accountName))
        {
            settings.Fail(V.StorageAccountName, $"invalid value {SettingReader.Echo(accountName)}; expected a storage account name (3-24 lower-case letters or digits)");
            accountName = null;
        }

        if (clientId is not null && !Guid.TryParse(clientId, out _))
        {
            settings.Fail(V.StorageClientId, $"invalid value {SettingReader.Echo(clientId)}; expected the client id (a GUID) of a user-assigned managed identity");
        }

        Uri? Endpoint(Uri? given, string service) =>
            given ?? (accountName is null ? null : new Uri($"https://{accountName}.{service}.core.windows.net"));

        var table = Endpoint(tableUri, "table");
        if (table is null)
        {
            if (!settings.HasError(V.StorageAccountName) && !settings.HasError(V.StorageTableServiceUri))
            {
                settings.Fail(V.StorageTableServiceUri, $"is required for identity-based storage when {V.StorageAccountName} is not set");
            }

            return null;
        }

        return new StorageIdentityOptions
        {
            AccountName = accountName,
            TableServiceUri = table,
            QueueServiceUri = Endpoint(queueUri, "queue"),
            BlobServiceUri = Endpoint(blobUri, "blob"),
            ClientId = clientId,
        };
    }

    private static Uri? ReadServiceUri(SettingReader settings, string? text, string variable)
    {
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        // A query or user info may carry a SAS token or a password: such a value is not echoed.
        var shown = text.Contains('?', StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal) ? "(not shown)" : SettingReader.Echo(text);
        settings.Fail(variable, $"invalid value {shown}; expected a storage service URL such as https://myaccount.table.core.windows.net, without query or credentials");
        return null;
    }

    private static string ReadStoragePrefix(SettingReader settings, string fallback)
    {
        if (settings.Read(V.StoragePrefix) is not { } text)
        {
            return fallback;
        }

        if (StoragePrefixPattern().IsMatch(text))
        {
            return text;
        }

        settings.Fail(V.StoragePrefix, $"invalid value {SettingReader.Echo(text)}; expected 1-24 lower-case letters or digits, starting with a letter");
        return fallback;
    }

    [GeneratedRegex("^[a-z][a-z0-9]{0,23}$", RegexOptions.CultureInvariant)]
    private static partial Regex StoragePrefixPattern();

    [GeneratedRegex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageAccountPattern();
}
