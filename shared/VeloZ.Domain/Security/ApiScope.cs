namespace VeloZ.Domain.Security;

/// <summary>
/// What an API key may do. Each scope includes the ones before it: <c>trade</c> implies <c>read</c>,
/// <c>admin</c> implies both. The numeric order is that inclusion, so a check is a comparison.
/// </summary>
public enum ApiScope
{
    /// <summary><c>read</c>: every GET endpoint, the stream and negotiate.</summary>
    Read = 1,

    /// <summary><c>trade</c>: read, plus placing and cancelling orders.</summary>
    Trade = 2,

    /// <summary><c>admin</c>: everything, including the <c>/api/admin/...</c> endpoints.</summary>
    Admin = 3,
}

/// <summary>The wire words of <see cref="ApiScope"/> and the inclusion rule.</summary>
public static class ApiScopes
{
    /// <summary>The accepted words, in inclusion order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["read", "trade", "admin"];

    public static string ToWire(this ApiScope scope) => scope switch
    {
        ApiScope.Read => "read",
        ApiScope.Trade => "trade",
        ApiScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>Exact, lower-case match.</summary>
    public static bool TryParse(string? text, out ApiScope scope)
    {
        switch (text)
        {
            case "read":
                scope = ApiScope.Read;
                return true;
            case "trade":
                scope = ApiScope.Trade;
                return true;
            case "admin":
                scope = ApiScope.Admin;
                return true;
            default:
                scope = default;
                return false;
        }
    }

    /// <summary>True when a key with <paramref name="granted"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Allows(this ApiScope granted, ApiScope required) => granted >= required;
}
