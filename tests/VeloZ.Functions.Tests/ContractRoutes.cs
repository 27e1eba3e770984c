namespace VeloZ.Functions.Tests;

/// <summary>The contract's endpoints (api-contract.md), path without leading slash → verb.</summary>
internal static class ContractRoutes
{
    public static readonly IReadOnlyDictionary<string, string> All = VeloZ.Testing.ContractEndpoints.All;

    /// <summary>The endpoints this build implements (all of the contract's), sorted by route.</summary>
    public static readonly IReadOnlyList<string> Implemented = [.. All.Keys.Order(StringComparer.Ordinal)];
}
