using System.Collections.Concurrent;
using System.Security.Cryptography;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Security;

/// <summary>An authenticated key: its id (never the key) and scope.</summary>
public sealed record ApiIdentity(string KeyId, ApiScope Scope);

/// <summary>
/// API keys: authentication, creation, listing, revocation. Keys are stored as SHA-256 hashes in Table
/// storage (<see cref="ApiKeyRepository"/>); the bootstrap admin key comes from <c>VELOZ_ADMIN_API_KEY</c>
/// and is only ever held as a <see cref="Secret"/> and as its hash. Comparisons are constant-time over
/// fixed-length hashes, so neither timing nor length tells an attacker anything.
/// <para>
/// Lookups are cached per key id for <see cref="CacheFor"/> (found and not-found alike, so a stream of made-up
/// keys costs storage at most once per id and period). A revocation is effective at once on the instance that
/// revoked, and within <see cref="CacheFor"/> on every other instance.
/// </para>
/// </summary>
public sealed class ApiKeyService(ApiKeyRepository repository, SecurityOptions options, TimeProvider clock)
{
    /// <summary>The key id under which the bootstrap admin key (<c>VELOZ_ADMIN_API_KEY</c>) acts.</summary>
    public const string BootstrapKeyId = "bootstrap-admin";

    /// <summary>How long a key lookup is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private const int MaxCached = 10_000;

    private readonly byte[]? _bootstrapHash = options.AdminApiKey.IsEmpty ? null : ApiKeyFormat.Hash(options.AdminApiKey.Reveal());
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public bool HasBootstrapKey => _bootstrapHash is not null;

    /// <summary>The identity of a presented key, or null when it is not a valid, unrevoked key.</summary>
    public async Task<ApiIdentity?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (presented.Length is 0 or > ApiCredentials.MaxLength)
        {
            return null;
        }

        var hash = ApiKeyFormat.Hash(presented);
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(hash, _bootstrapHash))
        {
            return new ApiIdentity(BootstrapKeyId, ApiScope.Admin);
        }

        if (!ApiKeyFormat.TryGetKeyId(presented, out var keyId))
        {
            return null;
        }

        var record = await LookupAsync(keyId, cancellationToken);
        if (record is null || record.IsRevoked || record.Sha256.Length != hash.Length || !CryptographicOperations.FixedTimeEquals(hash, record.Sha256))
        {
            return null;
        }

        return ApiScopes.TryParse(record.Scope, out var scope) ? new ApiIdentity(keyId, scope) : null;
    }

    /// <summary>Creates a key; the returned key text is shown to the admin once and never stored.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string name, ApiScope scope, string createdBy, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (keyId, key) = ApiKeyFormat.New();
            var record = new ApiKeyRecord(keyId, name, scope.ToWire(), ApiKeyFormat.Hash(key), clock.GetUtcNow(), createdBy);
            if (await repository.InsertAsync(record, cancellationToken))
            {
                _cache.TryRemove(keyId, out _);
                return (record, key);
            }
        }
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) => repository.ListAsync(cancellationToken);

    /// <summary>Revokes a key; null when there is no such key.</summary>
    public async Task<ApiKeyRecord?> RevokeAsync(string keyId, string revokedBy, CancellationToken cancellationToken)
    {
        var revoked = await repository.RevokeAsync(keyId, clock.GetUtcNow(), revokedBy, cancellationToken);
        _cache.TryRemove(keyId, out _);
        return revoked;
    }

    /// <summary>
    /// Whether a key id (of a key that authenticated earlier) is still valid: it exists and is not revoked. The
    /// lookup may reuse a cached one younger than <paramref name="maxAge"/>.
    /// </summary>
    public async Task<bool> IsActiveAsync(string keyId, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (keyId == BootstrapKeyId)
        {
            return _bootstrapHash is not null;
        }

        return await LookupAsync(keyId, cancellationToken, maxAge) is { IsRevoked: false };
    }

    private async Task<ApiKeyRecord?> LookupAsync(string keyId, CancellationToken cancellationToken, TimeSpan? maxAge = null)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(keyId, out var cached) && now - cached.At < (maxAge ?? CacheFor))
        {
            return cached.Record;
        }

        var record = await repository.GetAsync(keyId, cancellationToken);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[keyId] = new Cached(record, now);
        return record;
    }

    private sealed record Cached(ApiKeyRecord? Record, DateTimeOffset At);
}
