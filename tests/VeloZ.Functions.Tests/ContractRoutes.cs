namespace VeloZ.Functions.Tests;

/// <summary>The contract's endpoints (api-contract.md, plus the admin endpoints of docs/api.md), path without leading slash → verbs.</summary>
internal static class ContractRoutes
{
    public static readonly IReadOnlyDictionary<string, string[]> All = new Dictionary<string, string[]>
    {
        ["health"] = ["get"],
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
    };

    /// <summary>The endpoints this build implements so far.</summary>
    public static readonly IReadOnlyList<string> Implemented =
    [
        "api/account", "api/admin/cancel_all", "api/admin/keys", "api/admin/keys/revoke", "api/admin/trading_mode", "api/cancel", "api/config",
        "api/execution/ping", "api/market", "api/order", "api/order_state", "api/orders_state", "health",
    ];
}
