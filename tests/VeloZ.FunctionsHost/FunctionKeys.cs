using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace VeloZ.FunctionsHost;

/// <summary>
/// The host's key check, which the worker never does: <c>authLevel: function</c> takes a function key or
/// the master key, <c>admin</c> (and <c>system</c>, <c>user</c>) only the master key, presented in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter.
/// </summary>
internal sealed class FunctionKeys(string functionKey, string masterKey)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public string FunctionKey { get; } = functionKey;

    public string MasterKey { get; } = masterKey;

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Authorize(HttpRequest request, FunctionAuthLevel level)
    {
        if (level == FunctionAuthLevel.Anonymous)
        {
            return true;
        }

        var presented = request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
        {
            presented = request.Query[QueryName].ToString();
        }

        if (presented.Length == 0)
        {
            return false;
        }

        return Same(presented, MasterKey) || (level == FunctionAuthLevel.Function && Same(presented, FunctionKey));
    }

    private static bool Same(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
