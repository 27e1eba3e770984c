using System.Text;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;
using VeloZ.Push.Azure;

namespace VeloZ.Push.Tests;

public sealed class TokenTests
{
    private const string Key = "FTRTcpGwz+4NLEtqiajH5gUkQ2KBoL/e/Rw7WnmYt9Y=";
    private static readonly DateTimeOffset s_start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(s_start);

    [Fact]
    public void A_token_is_an_hs256_jwt_signed_with_the_utf8_bytes_of_the_key_string()
    {
        var token = new SignalRTokenIssuer(new Secret(Key), _clock).Issue("https://x.service.signalr.net/client/?hub=veloz", TimeSpan.FromMinutes(5));
        var jwt = Jwt.Parse(token.Value);

        Assert.Equal("HS256", jwt.Header.GetProperty("alg").GetString());
        Assert.Equal("JWT", jwt.Header.GetProperty("typ").GetString());
        Assert.True(jwt.IsSignedWithUtf8Of(Key));
        // Not the base64-decoded key: the service signs with the string as typed.
        Assert.False(jwt.IsSignedWith(Convert.FromBase64String(Key)));
        Assert.False(jwt.IsSignedWithUtf8Of(Key + "x"));
    }

    [Fact]
    public void Audience_and_times_are_exact()
    {
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        var token = new SignalRTokenIssuer(new Secret(Key), _clock).Issue("https://x.service.signalr.net/api/hubs/veloz/:send?api-version=2022-06-01", TimeSpan.FromMinutes(5));
        var jwt = Jwt.Parse(token.Value);

        Assert.Equal("https://x.service.signalr.net/api/hubs/veloz/:send?api-version=2022-06-01", jwt.Audience);
        Assert.Equal(s_start.ToUnixTimeSeconds(), jwt.Iat);
        Assert.Equal(s_start.ToUnixTimeSeconds(), jwt.Nbf);
        Assert.Equal(s_start.ToUnixTimeSeconds() + 300, jwt.Exp);
        Assert.Equal(s_start.AddMinutes(5), token.ExpiresAt);
        Assert.False(jwt.Payload.TryGetProperty("nameid", out _));
        Assert.False(jwt.Payload.TryGetProperty("asrs.s.uid", out _));
    }

    [Fact]
    public void A_user_id_is_written_as_nameid_and_asrs_s_uid()
    {
        var jwt = Jwt.Parse(new SignalRTokenIssuer(new Secret(Key), _clock).Issue("https://a/client/?hub=veloz", TimeSpan.FromHours(1), "trader-7").Value);

        Assert.Equal("trader-7", jwt.Payload.GetProperty("nameid").GetString());
        Assert.Equal("trader-7", jwt.Payload.GetProperty("asrs.s.uid").GetString());
    }

    [Fact]
    public void Tokens_over_4_kb_are_refused_and_the_error_shows_neither_key_nor_token()
    {
        var issuer = new SignalRTokenIssuer(new Secret(Key), _clock);

        var error = Assert.Throws<InvalidOperationException>(() => issuer.Issue("https://a/client/?hub=veloz", TimeSpan.FromHours(1), new string('u', 3000)));

        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", error.Message, StringComparison.Ordinal);
        Assert.True(issuer.Issue("https://a/client/?hub=veloz", TimeSpan.FromHours(1), new string('u', 1000)).Value.Length <= SignalRTokenIssuer.MaxTokenLength);
    }

    [Fact]
    public void A_token_never_shows_in_ToString() =>
        Assert.DoesNotContain("eyJ", new SignalRTokenIssuer(new Secret(Key), _clock).Issue("https://a/", TimeSpan.FromMinutes(1)).ToString(), StringComparison.Ordinal);

    [Fact]
    public void An_empty_key_or_a_zero_lifetime_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new SignalRTokenIssuer(Secret.Empty, _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignalRTokenIssuer(new Secret(Key), _clock).Issue("https://a/", TimeSpan.Zero));
    }

    [Fact]
    public void Non_ascii_user_ids_round_trip()
    {
        var jwt = Jwt.Parse(new SignalRTokenIssuer(new Secret(Key), _clock).Issue("https://a/", TimeSpan.FromMinutes(1), "händler").Value);

        Assert.Equal("händler", jwt.Payload.GetProperty("nameid").GetString());
        Assert.True(jwt.IsSignedWith(Encoding.UTF8.GetBytes(Key)));
    }
}
