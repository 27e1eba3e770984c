namespace VeloZ.Functions.Hosting;

/// <summary>The API's functions by name (from <see cref="FunctionRouteTable"/>).</summary>
public sealed class FunctionRouteIndex(IReadOnlyList<FunctionRoute> routes)
{
    private readonly Dictionary<string, FunctionRoute> _byName = routes.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public IReadOnlyList<FunctionRoute> All => routes;

    /// <summary>The function of this name, or null.</summary>
    public FunctionRoute? ByName(string name) => _byName.GetValueOrDefault(name);
}
