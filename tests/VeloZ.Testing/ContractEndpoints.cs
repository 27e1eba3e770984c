namespace VeloZ.Testing;

/// <summary>
/// Every endpoint of the HTTP contract (docs/api.md): route (no leading slash, the
/// Functions route prefix is empty) and verb. Each is an anonymous HTTP function that also answers
/// <c>OPTIONS</c> (CORS preflight); VeloZ's own auth layer, not function keys, guards the API.
/// </summary>
public static class ContractEndpoints
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["health"] = "get",
        ["api/config"] = "get",
        ["api/market"] = "get",
        ["api/orders"] = "get",
        ["api/orders_state"] = "get",
        ["api/order_state"] = "get",
        ["api/order"] = "post",
        ["api/cancel"] = "post",
        ["api/account"] = "get",
        ["api/execution/ping"] = "get",
        ["api/stream"] = "get",
        ["api/negotiate"] = "post",
    };
}
