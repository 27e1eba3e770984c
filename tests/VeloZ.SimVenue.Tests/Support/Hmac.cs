using System.Security.Cryptography;
using System.Text;

namespace VeloZ.SimVenue.Tests.Support;

/// <summary>The tests' own HMAC-SHA256 signing, computed independently of the venue.</summary>
internal static class Hmac
{
    public static string Sign(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
}
