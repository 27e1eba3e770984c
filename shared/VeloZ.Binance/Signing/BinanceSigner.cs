using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Signing;

/// <summary>
/// Signatures as Binance Spot verifies them (Binance Spot API docs: rest-api.md "SIGNED Endpoint Examples",
/// web-socket-api.md "SIGNED request example"), for the two key types VeloZ signs with:
/// <list type="bullet">
/// <item><b>HMAC-SHA256</b> (the secret is the key's secret text): lower-case hex.</item>
/// <item><b>Ed25519</b> (the secret is the private key as PKCS#8 PEM, <c>-----BEGIN PRIVATE KEY-----</c>, as Binance's
/// key generator and <c>openssl genpkey -algorithm ed25519</c> write it): base64 (case-sensitive; percent-encoded
/// where it goes into a REST payload, see <see cref="IsUrlSafe"/>).</item>
/// </list>
/// REST signs the percent-encoded payload exactly as sent; the WebSocket API signs its parameters sorted by name,
/// with raw UTF-8 values and no percent-encoding. The secret stays inside this type; it never appears in a string
/// it returns or an exception it throws.
/// </summary>
public sealed class BinanceSigner
{
    private const string PemHeader = "-----BEGIN PRIVATE KEY-----";
    private const string PemFooter = "-----END PRIVATE KEY-----";

    private readonly byte[]? _hmacKey;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    /// <summary>A signer for <paramref name="secret"/>: Ed25519 when it is a PKCS#8 PEM private key, HMAC-SHA256 otherwise.</summary>
    /// <exception cref="ArgumentException">The secret is a PEM private key but not a valid Ed25519 one (the message never shows the key).</exception>
    public BinanceSigner(Secret secret)
    {
        var text = secret?.Reveal() ?? string.Empty;
        if (text.TrimStart().StartsWith(PemHeader, StringComparison.Ordinal))
        {
            _ed25519 = ReadEd25519(text);
            KeyType = BinanceKeyType.Ed25519;
        }
        else
        {
            _hmacKey = Encoding.UTF8.GetBytes(text);
            KeyType = BinanceKeyType.Hmac;
        }
    }

    /// <summary>Which kind of key signs.</summary>
    public BinanceKeyType KeyType { get; }

    /// <summary>
    /// Whether a signature goes into a URL or form body as it is: HMAC hex does; Ed25519's base64 must be
    /// percent-encoded (<c>+</c>, <c>/</c>, <c>=</c>).
    /// </summary>
    public bool IsUrlSafe => KeyType == BinanceKeyType.Hmac;

    /// <summary>Signs a REST payload (query string, then body, concatenated without a separator).</summary>
    public string SignRest(string queryString, string body = "") => Sign(queryString + body);

    /// <summary>The <c>signature=...</c> value for a REST payload, percent-encoded where the key type needs it.</summary>
    public string SignRestForUrl(string queryString, string body = "")
    {
        var signature = SignRest(queryString, body);
        return IsUrlSafe ? signature : Uri.EscapeDataString(signature);
    }

    /// <summary>
    /// Signs WebSocket API parameters: every parameter except <c>signature</c>, sorted by name (ordinal),
    /// joined as <c>name=value</c> with <c>&amp;</c>, values as plain text.
    /// </summary>
    public string SignWebSocket(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var payload = string.Join('&', parameters
            .Where(p => p.Key != "signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
        return Sign(payload);
    }

    private string Sign(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        if (_ed25519 is { } key)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, key);
            signer.BlockUpdate(bytes, 0, bytes.Length);
            return Convert.ToBase64String(signer.GenerateSignature());
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(_hmacKey!, bytes));
    }

    private static Ed25519PrivateKeyParameters ReadEd25519(string pem)
    {
        var start = pem.IndexOf(PemHeader, StringComparison.Ordinal) + PemHeader.Length;
        var end = pem.IndexOf(PemFooter, start, StringComparison.Ordinal);
        try
        {
            if (end < 0)
            {
                throw new FormatException("no end line");
            }

            // Line breaks may be real, or written as \n where a setting holds one line.
            var body = pem[start..end].Replace("\\n", string.Empty, StringComparison.Ordinal);
            var der = Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))));
            return PrivateKeyFactory.CreateKey(der) as Ed25519PrivateKeyParameters
                ?? throw new FormatException("not an Ed25519 key");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The key's text is never part of the message.
            throw new ArgumentException($"The Binance secret is a PEM private key but not a valid Ed25519 PKCS#8 key ({ex.GetType().Name}).", nameof(pem));
        }
    }
}

/// <summary>The Binance API key types VeloZ signs with.</summary>
public enum BinanceKeyType
{
    /// <summary>HMAC-SHA256: the secret is the key's secret text; signatures are hex.</summary>
    Hmac,

    /// <summary>Ed25519 (Binance's recommendation): the secret is the PKCS#8 PEM private key; signatures are base64.</summary>
    Ed25519,
}
