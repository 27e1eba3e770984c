using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Configuration;

namespace VeloZ.Push.Azure;

/// <summary>
/// Signs the JWTs Azure SignalR Service accepts from an access-key holder, for clients (negotiate) and for REST calls:
/// HS256 keyed with the UTF-8 bytes of the access key <em>string</em> (the service does not base64-decode it),
/// claims <c>aud</c> (the URL the token is for), <c>exp</c>, <c>iat</c> and <c>nbf</c> (epoch seconds, as the
/// service's SDK writes them) and, for a user, <c>nameid</c> (documented) and <c>asrs.s.uid</c> (what the SDK writes).
/// A token longer than 4 KB is refused by the service, so it is refused here first.
/// </summary>
public sealed class SignalRTokenIssuer
{
    /// <summary>The longest token the service accepts.</summary>
    public const int MaxTokenLength = 4096;

    private static readonly string s_header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public SignalRTokenIssuer(Secret accessKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(accessKey);
        if (accessKey.IsEmpty)
        {
            throw new ArgumentException("The SignalR access key is empty.", nameof(accessKey));
        }

        _key = Encoding.UTF8.GetBytes(accessKey.Reveal());
        _clock = timeProvider;
    }

    /// <summary>A token for <paramref name="audience"/>, valid from now for <paramref name="lifetime"/> (whole seconds).</summary>
    public SignalRAccessToken Issue(string audience, TimeSpan lifetime, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromSeconds(1));
        var now = _clock.GetUtcNow();
        var issuedAt = now.ToUnixTimeSeconds();
        var expires = issuedAt + (long)lifetime.TotalSeconds;

        var payload = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            if (!string.IsNullOrEmpty(userId))
            {
                json.WriteString("nameid", userId);
                json.WriteString("asrs.s.uid", userId);
            }

            json.WriteNumber("nbf", issuedAt);
            json.WriteNumber("exp", expires);
            json.WriteNumber("iat", issuedAt);
            json.WriteString("aud", audience);
            json.WriteEndObject();
        }

        var signingInput = s_header + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));
        var token = signingInput + "." + Base64Url.EncodeToString(signature);
        if (token.Length > MaxTokenLength)
        {
            throw new InvalidOperationException($"The SignalR access token would be {token.Length} characters; the service accepts at most {MaxTokenLength}. Use a shorter user id.");
        }

        return new SignalRAccessToken(token, DateTimeOffset.FromUnixTimeSeconds(expires));
    }
}

/// <summary>A signed token and when it expires. <see cref="ToString"/> never shows the token.</summary>
public sealed record SignalRAccessToken(string Value, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"SignalRAccessToken(expires {ExpiresAt:O})";
}
