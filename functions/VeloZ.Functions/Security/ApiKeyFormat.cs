using System.Security.Cryptography;
using System.Text;
using VeloZ.Storage;

namespace VeloZ.Functions.Security;

/// <summary>
/// VeloZ API keys: <c>vz_&lt;id&gt;_&lt;secret&gt;</c>, where the id is 16 lower-case hex digits (64 random
/// bits, public: it names the key in lists and logs) and the secret 43 base64url characters (256 random bits).
/// Carrying the id in the key makes authentication one point read; the stored SHA-256 of the whole key is
/// compared in constant time.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "vz_";
    public const int IdLength = ApiKeyRepository.KeyIdLength;
    public const int SecretLength = 43;
    public const int Length = 3 + IdLength + 1 + SecretLength;

    /// <summary>A new key and its id.</summary>
    public static (string KeyId, string Key) New()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id inside a presented key, if it has VeloZ's shape.</summary>
    public static bool TryGetKeyId(string key, out string keyId)
    {
        keyId = string.Empty;
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var id = key.Substring(Prefix.Length, IdLength);
        if (!IsKeyId(id))
        {
            return false;
        }

        keyId = id;
        return true;
    }

    /// <summary>True for a key id (16 lower-case hex digits).</summary>
    public static bool IsKeyId(string? text) => ApiKeyRepository.IsKeyId(text);

    /// <summary>SHA-256 of the key's UTF-8 bytes.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
