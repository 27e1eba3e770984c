using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using VeloZ.Domain.Configuration;
using VeloZ.Push;
using VeloZ.Push.Azure;
using VeloZ.Worker.Events;
using VeloZ.Worker.Hosting;

namespace VeloZ.Worker.Tests.Events;

/// <summary>What the worker's own hub accepts as an access token, and where it listens.</summary>
public sealed class LocalHubTokenTests
{
    private const string BaseUrl = "http://127.0.0.1:8081";

    private static async Task<bool> AcceptsAsync(LocalHubIdentity hub, string token) =>
        (await new JsonWebTokenHandler().ValidateTokenAsync(token, PushHosting.TokenValidation(hub))).IsValid;

    [Fact]
    public async Task The_hub_accepts_only_tokens_signed_with_this_starts_key_for_its_own_url()
    {
        var hub = new LocalHubIdentity();
        hub.Listening(BaseUrl);
        var audience = LocalHub.ClientUrl(BaseUrl);

        Assert.True(await AcceptsAsync(hub, new SignalRTokenIssuer(hub.SigningKey, TimeProvider.System).Issue(audience, TimeSpan.FromHours(1), "0123456789abcdef").Value));

        // Another hub's URL (or another port of the same host) is not this hub.
        Assert.False(await AcceptsAsync(hub, new SignalRTokenIssuer(hub.SigningKey, TimeProvider.System).Issue(LocalHub.ClientUrl("http://127.0.0.1:9999"), TimeSpan.FromHours(1)).Value));

        // The key another start drew, and the key once derived from the public development connection string.
        Assert.False(await AcceptsAsync(hub, new SignalRTokenIssuer(LocalHub.NewSigningKey(), TimeProvider.System).Issue(audience, TimeSpan.FromHours(1)).Value));
        var derived = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("UseDevelopmentStorage=true"), Encoding.UTF8.GetBytes("veloz-local-hub-v1/")));
        Assert.False(await AcceptsAsync(hub, new SignalRTokenIssuer(new Secret(derived), TimeProvider.System).Issue(audience, TimeSpan.FromHours(1)).Value));
    }

    [Fact]
    public async Task The_hub_accepts_no_token_before_it_knows_its_own_url()
    {
        var hub = new LocalHubIdentity();

        Assert.False(await AcceptsAsync(hub, new SignalRTokenIssuer(hub.SigningKey, TimeProvider.System).Issue(LocalHub.ClientUrl(BaseUrl), TimeSpan.FromHours(1)).Value));
    }

    [Fact]
    public void Each_start_draws_its_own_signing_key()
    {
        Assert.NotEqual(new LocalHubIdentity().SigningKey.Reveal(), new LocalHubIdentity().SigningKey.Reveal());
        Assert.True(Convert.FromBase64String(new LocalHubIdentity().SigningKey.Reveal().Replace('-', '+').Replace('_', '/') + "=").Length == 32);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8081", "127.0.0.1")]
    [InlineData("http://localhost:8081", "127.0.0.1")]
    [InlineData("http://LOCALHOST:8081", "127.0.0.1")]
    [InlineData("http://worker.internal:8081", "127.0.0.1")]
    [InlineData("http://0.0.0.0:8081", "0.0.0.0")]
    [InlineData("http://[::]:8081", "::")]
    [InlineData("http://10.1.2.3:8081", "10.1.2.3")]
    public void The_hub_listens_on_loopback_unless_an_address_is_configured(string hubUrl, string address) =>
        Assert.Equal(IPAddress.Parse(address), PushHosting.ListenAddress(new Uri(hubUrl)));
}
