namespace VeloZ.Functions.Tests;

/// <summary>The contract's endpoints (api-contract.md), path without leading slash → verb.</summary>
internal static class ContractRoutes
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
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

    /// <summary>The endpoints this build implements (all of the contract's), sorted by route.</summary>
    public static readonly IReadOnlyList<string> Implemented = [.. All.Keys.Order(StringComparer.Ordinal)];
}
