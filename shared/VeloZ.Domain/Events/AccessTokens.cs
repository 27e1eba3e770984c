using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Configuration;

namespace VeloZ.Domain.Events;

/// <summary>
/// HS256 JSON Web Tokens as Azure SignalR Service expects them (signed with the UTF-8 bytes of the access
/// key, <c>aud</c> = the URL they are for, <c>exp</c> in epoch seconds). The worker's own hub accepts the same
/// tokens, so one negotiate path serves both push modes.
/// </summary>
public static class AccessTokens
{
    private static readonly byte[] s_header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);

    public static string Create(Secret key, string audience, DateTimeOffset now, TimeSpan lifetime, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(audience);
        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["aud"] = audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
        };
        if (userId is not null)
        {
            payload["nameid"] = userId;
        }

        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signingInput = new byte[s_header.Length + 1 + body.Length];
        s_header.CopyTo(signingInput, 0);
        signingInput[s_header.Length] = (byte)'.';
        body.CopyTo(signingInput, s_header.Length + 1);
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.Reveal()), signingInput));
        return $"{Encoding.ASCII.GetString(signingInput)}.{Encoding.ASCII.GetString(signature)}";
    }

    private static byte[] Base64Url(ReadOnlySpan<byte> data) =>
        Encoding.ASCII.GetBytes(Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
}
