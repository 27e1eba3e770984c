using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VeloZ.Push.Tests;

/// <summary>
/// Reads a compact HS256 JWT and checks its signature from scratch (plain base64 and HMAC, nothing from the code under test),
/// the way Azure SignalR Service does: keyed with the UTF-8 bytes of the access key string.
/// </summary>
internal sealed record Jwt(JsonElement Header, JsonElement Payload, string SigningInput, byte[] Signature)
{
    public static Jwt Parse(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return new Jwt(
            JsonDocument.Parse(FromBase64Url(parts[0])).RootElement.Clone(),
            JsonDocument.Parse(FromBase64Url(parts[1])).RootElement.Clone(),
            parts[0] + "." + parts[1],
            FromBase64Url(parts[2]));
    }

    public static Jwt FromBearer(string? authorization)
    {
        Assert.NotNull(authorization);
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        return Parse(authorization["Bearer ".Length..]);
    }

    public bool IsSignedWith(byte[] key) =>
        CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(SigningInput)), Signature);

    public bool IsSignedWithUtf8Of(string accessKey) => IsSignedWith(Encoding.UTF8.GetBytes(accessKey));

    public string Audience => Payload.GetProperty("aud").GetString()!;

    public long Exp => Payload.GetProperty("exp").GetInt64();

    public long Iat => Payload.GetProperty("iat").GetInt64();

    public long Nbf => Payload.GetProperty("nbf").GetInt64();

    private static byte[] FromBase64Url(string text)
    {
        Assert.DoesNotContain('=', text);
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
