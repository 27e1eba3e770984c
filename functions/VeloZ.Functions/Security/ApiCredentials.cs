using Microsoft.AspNetCore.Http;

namespace VeloZ.Functions.Security;

/// <summary>
/// Reads the key a request presents: <c>X-API-Key: &lt;key&gt;</c>, or <c>Authorization: Bearer &lt;key&gt;</c>,
/// or (only where <see cref="RoutePolicy.QueryTokenAllowed"/>) <c>?access_token=&lt;key&gt;</c>.
/// </summary>
internal static class ApiCredentials
{
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>Longest credential looked at; anything longer is simply invalid.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// <see cref="Presented.None"/> when the request carries no credential at all; otherwise the text to
    /// check, which is empty for a malformed one (two keys, another Authorization scheme, too long).
    /// </summary>
    public static (Presented Kind, string Key) Read(HttpRequest request, bool queryTokenAllowed)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out var header))
        {
            return header.Count == 1 ? Checked(header[0]) : (Presented.Malformed, string.Empty);
        }

        if (request.Headers.TryGetValue("Authorization", out var authorization))
        {
            if (authorization.Count != 1 || authorization[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return (Presented.Malformed, string.Empty);
            }

            return Checked(value["Bearer ".Length..]);
        }

        if (queryTokenAllowed && request.Query.TryGetValue(RoutePolicy.AccessTokenQueryName, out var token))
        {
            return token.Count == 1 && Checked(token[0]) is (Presented.Key, var key) ? (Presented.QueryKey, key) : (Presented.Malformed, string.Empty);
        }

        return (Presented.None, string.Empty);
    }

    private static (Presented, string) Checked(string? value)
    {
        var key = value?.Trim() ?? string.Empty;
        return key.Length is > 0 and <= MaxLength ? (Presented.Key, key) : (Presented.Malformed, string.Empty);
    }

    public enum Presented
    {
        None,
        Malformed,
        Key,

        /// <summary>A key from the <c>access_token</c> query parameter (accepted for read-scope keys only).</summary>
        QueryKey,
    }
}
