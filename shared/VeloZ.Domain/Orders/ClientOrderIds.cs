using System.Security.Cryptography;

namespace VeloZ.Domain.Orders;

/// <summary>
/// Client order ids as Binance accepts them for <c>newClientOrderId</c>: <c>^[a-zA-Z0-9-_]{1,36}$</c>
/// (Binance Spot API docs, rest-api.md "New order (TRADE)" and fix-api.md; ASCII only, no dot). VeloZ chooses and stores the id before it calls the venue,
/// so an unknown outcome is reconciled by this id and never blindly re-sent.
/// </summary>
public static class ClientOrderIds
{
    /// <summary>The longest id Binance accepts.</summary>
    public const int MaxLength = 36;

    /// <summary>Prefix of the ids VeloZ generates, so they are recognisable at the venue.</summary>
    public const string GeneratedPrefix = "vz-";

    /// <summary>Random alphanumerics after the prefix: 62^24 ≈ 10^43 possible ids.</summary>
    public const int GeneratedRandomLength = 24;

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>True when <paramref name="id"/> matches <c>^[a-zA-Z0-9-_]{1,36}$</c> (ASCII letters and digits only).</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A new valid id: <see cref="GeneratedPrefix"/> followed by <see cref="GeneratedRandomLength"/>
    /// alphanumerics from a cryptographic random number generator (unique without coordination between
    /// API instances).
    /// </summary>
    public static string NewId() =>
        GeneratedPrefix + RandomNumberGenerator.GetString(Alphanumerics, GeneratedRandomLength);
}
