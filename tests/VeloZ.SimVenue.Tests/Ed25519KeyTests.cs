using System.Net;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>
/// Ed25519 keys, as Binance registers them (by the public key) and checks them: the request is signed with the
/// private key over the same payload as an HMAC signature, and the base64 signature is percent-encoded in the URL.
/// </summary>
public sealed class Ed25519KeyTests
{
    private const string Ed25519Key = SimApiKey.VeloZTestEd25519ApiKey;

    /// <summary>Another Ed25519 private key (made with <c>openssl genpkey -algorithm ed25519</c> for these tests).</summary>
    private const string OtherPrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKTE9O3yIhwJQ7eZMKxsXUyx8DyHTwikT8S5BnDANP4C\n-----END PRIVATE KEY-----\n";

    internal static string Sign(string privateKeyPem, string payload)
    {
        var body = privateKeyPem.Replace("-----BEGIN PRIVATE KEY-----", string.Empty, StringComparison.Ordinal).Replace("-----END PRIVATE KEY-----", string.Empty, StringComparison.Ordinal);
        var key = (Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c)))));
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var bytes = Encoding.UTF8.GetBytes(payload);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return Convert.ToBase64String(signer.GenerateSignature());
    }

    private static async Task<ApiResponse> AccountAsync(TestVenue venue, string apiKey, Func<string, string> signature)
    {
        var payload = $"omitZeroBalances=true&timestamp={venue.NowMs}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v3/account?{payload}&signature={Uri.EscapeDataString(signature(payload))}");
        request.Headers.Add("X-MBX-APIKEY", apiKey);
        using var response = await venue.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return await ApiResponse.ReadAsync(response);
    }

    [Fact]
    public async Task A_request_signed_with_the_registered_keys_private_half_is_accepted()
    {
        await using var venue = await TestVenue.StartAsync();

        var response = await AccountAsync(venue, Ed25519Key, payload => Sign(SimApiKey.VeloZTestEd25519PrivateKeyPem, payload));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.Object["balances"]);
    }

    [Fact]
    public async Task A_signature_by_another_ed25519_key_is_invalid()
    {
        await using var venue = await TestVenue.StartAsync();

        var response = await AccountAsync(venue, Ed25519Key, payload => Sign(OtherPrivateKeyPem, payload));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(-1022, response.Code);
    }

    [Fact]
    public async Task An_hmac_signature_for_an_ed25519_key_is_invalid()
    {
        await using var venue = await TestVenue.StartAsync();

        var response = await AccountAsync(venue, Ed25519Key, payload => Hmac.Sign(TestVenue.Secret, payload));

        Assert.Equal(-1022, response.Code);
    }

    [Fact]
    public async Task A_signature_for_another_payload_is_invalid()
    {
        await using var venue = await TestVenue.StartAsync();

        var response = await AccountAsync(venue, Ed25519Key, payload => Sign(SimApiKey.VeloZTestEd25519PrivateKeyPem, payload + "&x=1"));

        Assert.Equal(-1022, response.Code);
    }

    [Fact]
    public void A_public_key_that_is_not_ed25519_is_refused_at_registration() =>
        Assert.Throws<ArgumentException>(() => SimApiKey.Ed25519(Ed25519Key, "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"));
}
