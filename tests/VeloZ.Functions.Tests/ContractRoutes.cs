namespace VeloZ.Functions.Tests;

/// <summary>The contract's endpoints (api-contract.md), path without leading slash → verb.</summary>
internal static class ContractRoutes
{
    public static readonly IReadOnlyDictionary<string, string> All = VeloZ.Testing.ContractEndpoints.All;

    /// <summary>The endpoints this build implements so far.</summary>
    public static readonly IReadOnlyList<string> Implemented =
        ["api/account", "api/cancel", "api/config", "api/execution/ping", "api/market", "api/order", "api/order_state", "api/orders_state", "health"];
}
