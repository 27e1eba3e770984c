using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VeloZ.SimVenue.Engine;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>
/// Binance's security rules for SIGNED requests (Binance's rest-api.md "SIGNED (TRADE and USER_DATA) Endpoint security"): API key (-2014 format, -2015 unknown), HMAC-SHA256
/// over the exact payload (-1022; hex accepted in either case) or, for an Ed25519 key, its base64 Ed25519 signature, then the timing checks (-1021) with
/// <c>recvWindow</c> (default 5000, max 60000, up to 3 decimals). Timestamps may be ms or µs.
/// </summary>
internal sealed class Authenticator(MatchingEngine engine, VenueClock clock)
{
    private const decimal DefaultRecvWindow = 5000m;
    private const decimal MaxRecvWindow = 60_000m;

    public SimAccount Authenticate(VenueRequest request)
    {
        var apiKey = request.ApiKey;
        if (string.IsNullOrEmpty(apiKey))
        {
            throw request.Transport == Transport.Rest ? VenueErrors.BadApiKeyFormat() : VenueErrors.Mandatory("apiKey");
        }

        if (!SimVenueOptions.ApiKeyFormat().IsMatch(apiKey))
        {
            throw VenueErrors.BadApiKeyFormat();
        }

        var account = engine.FindAccount(apiKey) ?? throw VenueErrors.RejectedApiKey();
        var timestampText = request.Require("timestamp");
        var signature = request.Signature;
        if (string.IsNullOrEmpty(signature))
        {
            throw VenueErrors.Mandatory("signature");
        }

        if (!(account.Key.Ed25519PublicKey is { } publicKey
                ? VerifyEd25519(publicKey, request.SignaturePayload, signature)
                : Verify(account.Key.SecretKey, request.SignaturePayload, signature)))
        {
            throw VenueErrors.InvalidSignature();
        }

        if (!Wire.Number().IsMatch(timestampText) || timestampText.Contains('.', StringComparison.Ordinal))
        {
            throw VenueErrors.Mandatory("timestamp");
        }

        var recvWindow = DefaultRecvWindow;
        if (request.Get("recvWindow") is { } recvWindowText)
        {
            if (!Wire.Number().IsMatch(recvWindowText))
            {
                throw VenueErrors.IllegalChars("recvWindow", Wire.NumberPattern);
            }

            if (Wire.SignificantDecimals(recvWindowText) > 3)
            {
                throw VenueErrors.TooMuchPrecision("recvWindow");
            }

            recvWindow = Wire.ParseInvariant(recvWindowText);
            if (recvWindow > MaxRecvWindow)
            {
                throw VenueErrors.TooLarge("recvWindow", "60000");
            }
        }

        var timestampMs = Wire.ParseInvariant(timestampText);
        if (timestampMs >= 100_000_000_000_000m)
        {
            timestampMs /= 1000m; // microseconds
        }

        decimal serverTime = clock.NowMs;
        if (timestampMs >= serverTime + 1000m)
        {
            throw VenueErrors.TimestampAhead();
        }

        if (serverTime - timestampMs > recvWindow)
        {
            throw VenueErrors.TimestampOutsideWindow();
        }

        request.Account = account;
        return account;
    }

    private static bool Verify(string secret, string payload, string signatureHex)
    {
        if (signatureHex.Length != 64)
        {
            return false;
        }

        byte[] provided;
        try
        {
            provided = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload));
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    /// <summary>An Ed25519 signature: base64 (case-sensitive), over the same payload an HMAC signature covers.</summary>
    private static bool VerifyEd25519(Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters publicKey, string payload, string signatureBase64)
    {
        byte[] provided;
        try
        {
            provided = Convert.FromBase64String(signatureBase64);
        }
        catch (FormatException)
        {
            return false;
        }

        if (provided.Length != 64)
        {
            return false;
        }

        var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        verifier.Init(false, publicKey);
        var bytes = Encoding.UTF8.GetBytes(payload);
        verifier.BlockUpdate(bytes, 0, bytes.Length);
        return verifier.VerifySignature(provided);
    }

    /// <summary>Parses an integer parameter (ids, times, limits).</summary>
    public static long? ParseLong(VenueRequest request, string name)
    {
        var text = request.Get(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw VenueErrors.IllegalChars(name, "^-?[0-9]{1,20}$");
        }

        return value;
    }
}
