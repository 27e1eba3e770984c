using System.Security.Cryptography;
using System.Text;
using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Signing;

/// <summary>
/// HMAC-SHA256 signatures as Binance Spot verifies them (Binance Spot API docs: rest-api.md "SIGNED Endpoint Examples", web-socket-api.md "SIGNED request example (HMAC)"):
/// REST signs the percent-encoded payload exactly as sent; the WebSocket API signs its parameters
/// sorted by name, with raw UTF-8 values and no percent-encoding. Signatures are lower-case hex.
/// The secret stays inside this type; it never appears in a string it returns.
/// </summary>
public sealed class BinanceSigner(Secret secret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret?.Reveal() ?? string.Empty);

    /// <summary>Signs a REST payload (query string, then body, concatenated without a separator).</summary>
    public string SignRest(string queryString, string body = "") => Hex(queryString + body);

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
        return Hex(payload);
    }

    private string Hex(string payload) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload)));
}
