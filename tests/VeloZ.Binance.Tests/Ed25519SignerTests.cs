using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Binance.Rest;
using VeloZ.Binance.Signing;
using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Tests;

/// <summary>
/// Ed25519 keys (Binance's recommended type): the secret is the PKCS#8 PEM private key, signatures are base64.
/// The expected signatures were computed independently with OpenSSL
/// (<c>openssl pkeyutl -sign -rawin -inkey key.pem -in payload | base64</c>) for this test-only key.
/// </summary>
public sealed class Ed25519SignerTests
{
    /// <summary>A throwaway key made for these tests (<c>openssl genpkey -algorithm ed25519</c>); it opens no account.</summary>
    private const string Pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKTE9O3yIhwJQ7eZMKxsXUyx8DyHTwikT8S5BnDANP4C\n-----END PRIVATE KEY-----\n";

    private const string RestPayload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    private const string RestSignature = "tuIBUdAVPCeYbmbFIZj1xnq6BfNccHInASWQ8IJzA/dCpOdorerNLBX3Mvm5XIffFLlVN/ORRkHq/iH32Z65AQ==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_pem_private_key_signs_rest_payloads_with_ed25519_in_base64()
    {
        var signer = new BinanceSigner(new Secret(Pem));

        Assert.Equal(BinanceKeyType.Ed25519, signer.KeyType);
        Assert.Equal(RestSignature, signer.SignRest(RestPayload));
        Assert.Equal(Uri.EscapeDataString(RestSignature), signer.SignRestForUrl(RestPayload));
    }

    [Fact]
    public void Websocket_parameters_are_signed_sorted_and_raw_with_ed25519()
    {
        var signer = new BinanceSigner(new Secret(Pem));

        var signature = signer.SignWebSocket([new("timestamp", "1747385641636"), new("recvWindow", "5000"), new("apiKey", "test-ed25519-key")]);

        Assert.Equal("hAxd126GCPDrBqnHX//q4AYCtepa9V4clSFiLeF6Xmy7VfFGTCpn+9zA6s3NHAFaAs/ctciNvSlWDSwuFqNCCg==", signature);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\\n")]
    [InlineData("")]
    public void The_pem_may_break_its_lines_as_a_setting_holds_them(string lineBreak)
    {
        var pem = Pem.Replace("\n", lineBreak, StringComparison.Ordinal);

        Assert.Equal(RestSignature, new BinanceSigner(new Secret("  " + pem)).SignRest(RestPayload));
    }

    [Fact]
    public void A_plain_secret_still_signs_with_hmac_in_hex()
    {
        var signer = new BinanceSigner(new Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));

        Assert.Equal(BinanceKeyType.Hmac, signer.KeyType);
        Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", signer.SignRestForUrl(RestPayload));
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKTE9O3yIhwJQ7eZMKxsXUyx8DyHTwikT8S5BnDANP4C")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----")]
    public void A_pem_that_is_not_an_ed25519_key_is_refused_without_showing_it(string pem)
    {
        var ex = Assert.Throws<ArgumentException>(() => new BinanceSigner(new Secret(pem)));

        Assert.Contains("Ed25519", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MC4CAQ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIGHAg", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rest_request_carries_the_ed25519_signature_percent_encoded()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, """{"serverTime":1}""");
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var options = new BinanceClientOptions { BaseUrl = new Uri("http://venue.test"), ApiKey = new Secret("k"), ApiSecret = new Secret(Pem) };
        var client = new BinanceRestClient(new HttpClient(handler), options, new BinanceServerClock(clock), new BinanceRateGate(clock), clock, LoggerFactory.Create(_ => { }).CreateLogger<BinanceRestClient>());

        await client.GetAccountAsync(Ct);

        var query = new Uri(handler.Uris.Single()).Query.TrimStart('?');
        var (signed, sent) = (query.Split("&signature=")[0], query.Split("&signature=")[1]);
        Assert.DoesNotContain('+', sent);
        Assert.DoesNotContain('/', sent);
        Assert.Equal(new BinanceSigner(new Secret(Pem)).SignRest(signed), Uri.UnescapeDataString(sent));
    }
}
