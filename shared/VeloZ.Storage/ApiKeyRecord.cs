namespace VeloZ.Storage;

/// <summary>
/// One API key as stored: never the key itself, only the SHA-256 of it (the key is 256 random bits, so a
/// plain hash cannot be reversed or guessed; no salt or slow hash is needed for such keys).
/// </summary>
/// <param name="KeyId">Public id, also part of the key (<c>vz_&lt;id&gt;_&lt;secret&gt;</c>); used in logs and to revoke.</param>
/// <param name="Name">The label the admin gave it.</param>
/// <param name="Scope">The scope word: <c>read</c>, <c>trade</c> or <c>admin</c>.</param>
/// <param name="Sha256">SHA-256 of the whole key (UTF-8), 32 bytes.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Key id of the admin who created it.</param>
/// <param name="RevokedAt">When it was revoked; null while it is valid.</param>
/// <param name="RevokedBy">Key id of the admin who revoked it.</param>
public sealed record ApiKeyRecord(
    string KeyId,
    string Name,
    string Scope,
    byte[] Sha256,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt = null,
    string? RevokedBy = null)
{
    public bool IsRevoked => RevokedAt is not null;
}
