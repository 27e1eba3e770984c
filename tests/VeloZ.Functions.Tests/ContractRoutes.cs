namespace VeloZ.Functions.Tests;

/// <summary>The contract's endpoints (docs/api.md, the admin endpoints and VeloZ's own new ones included), path without leading slash → verbs.</summary>
internal static class ContractRoutes
{
    public static readonly IReadOnlyDictionary<string, string[]> All = new Dictionary<string, string[]>
    {
        ["health"] = ["get"],
        ["health/live"] = ["get"],
        ["health/ready"] = ["get"],
        ["openapi.json"] = ["get"],
        ["api/config"] = ["get"],
        ["api/market"] = ["get"],
        ["api/orders"] = ["get"],
        ["api/orders_state"] = ["get"],
        ["api/order_state"] = ["get"],
        ["api/order"] = ["post"],
        ["api/cancel"] = ["post"],
        ["api/account"] = ["get"],
        ["api/execution/ping"] = ["get"],
        ["api/stream"] = ["get"],
        ["api/negotiate"] = ["post"],
        ["api/admin/keys"] = ["get", "post"],
        ["api/admin/keys/revoke"] = ["post"],
        ["api/admin/trading_mode"] = ["get", "post"],
        ["api/admin/cancel_all"] = ["post"],
        ["api/symbols"] = ["get"],
        ["api/fills"] = ["get"],
        ["dashboard/{*file}"] = ["get"],
    };

    /// <summary>The endpoints this build implements: the contract's, the admin endpoints and VeloZ's own, sorted by route.</summary>
    public static readonly IReadOnlyList<string> Implemented = [.. All.Keys.Order(StringComparer.Ordinal)];
}
