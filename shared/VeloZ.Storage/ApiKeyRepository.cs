using Azure;
using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// API keys in the <see cref="TableStore.ApiKeysTable"/> table: one row per key (PartitionKey <c>apikey</c>,
/// RowKey key id), so authentication is one point read by the id carried in the key, and listing is one
/// partition query. Rows are never deleted: a revoked key keeps its row (who, when) for the audit trail.
/// </summary>
public sealed class ApiKeyRepository(TableStore store)
{
    /// <summary>Length of a key id: 16 lower-case hex digits (64 random bits), the row key of a stored key.</summary>
    public const int KeyIdLength = 16;

    /// <summary>True for the id of a stored key (16 lower-case hex digits).</summary>
    public static bool IsKeyId(string? text) =>
        text is { Length: KeyIdLength } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private const string Partition = "apikey";

    private TableClient Table => store.Table(TableStore.ApiKeysTable);

    /// <summary>Inserts a new key; false when the id is taken (random ids: practically never).</summary>
    public async Task<bool> InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await store.WriteAsync(TableStore.ApiKeysTable, () => Table.AddEntityAsync(ToEntity(key), cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The key with this id, or null.</summary>
    public async Task<ApiKeyRecord?> GetAsync(string keyId, CancellationToken cancellationToken) =>
        await TableStore.GetIfExistsAsync(Table, Partition, keyId, cancellationToken).ConfigureAwait(false) is { } entity ? FromEntity(entity) : null;

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await foreach (var entity in TableStore.QueryAsync(Table, $"PartitionKey eq '{Partition}'", cancellationToken).ConfigureAwait(false))
        {
            keys.Add(FromEntity(entity));
        }

        keys.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return keys;
    }

    /// <summary>
    /// Marks the key revoked (ETag-checked, so a concurrent change is not lost). Returns the key as it now
    /// is (already revoked: unchanged), or null when there is no such key.
    /// </summary>
    public async Task<ApiKeyRecord?> RevokeAsync(string keyId, DateTimeOffset at, string by, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await TableStore.GetIfExistsAsync(Table, Partition, keyId, cancellationToken).ConfigureAwait(false) is not { } entity)
            {
                return null;
            }

            var current = FromEntity(entity);
            if (current.IsRevoked)
            {
                return current;
            }

            var revoked = current with { RevokedAt = at, RevokedBy = by };
            try
            {
                await TableStore.Guard(() => Table.UpdateEntityAsync(ToEntity(revoked), entity.ETag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
                return revoked;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
            }
        }

        throw new StorageUnavailableException($"API key {keyId} kept changing while it was being revoked.");
    }

    private static TableEntity ToEntity(ApiKeyRecord key) => new(Partition, key.KeyId)
    {
        ["Name"] = key.Name,
        ["Scope"] = key.Scope,
        ["Sha256"] = Convert.ToHexStringLower(key.Sha256),
        ["CreatedAt"] = key.CreatedAt,
        ["CreatedBy"] = key.CreatedBy,
        ["RevokedAt"] = key.RevokedAt,
        ["RevokedBy"] = key.RevokedBy,
    };

    private static ApiKeyRecord FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name") ?? string.Empty,
        e.GetString("Scope") ?? string.Empty,
        e.GetString("Sha256") is { Length: 64 } hex ? Convert.FromHexString(hex) : [],
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("CreatedBy") ?? string.Empty,
        e.GetDateTimeOffset("RevokedAt"),
        e.GetString("RevokedBy"));
}
