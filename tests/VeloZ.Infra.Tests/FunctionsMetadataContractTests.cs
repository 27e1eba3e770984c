using System.Text.Json;
using VeloZ.Testing;

namespace VeloZ.Infra.Tests;

/// <summary>
/// The Functions host routes by the packaged <c>functions.metadata</c>, so the package must list every
/// endpoint of the contract, with its verb and route, and anonymous (function keys play no part: VeloZ's
/// own auth layer does).
/// </summary>
[Collection(FunctionsPackageGroup.Name)]
public sealed class FunctionsMetadataContractTests(FunctionsPackage package)
{
    private sealed record HttpFunction(string Name, string Route, string Methods, string AuthLevel);

    private List<HttpFunction> ReadHttpFunctions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "functions.metadata")));
        return
        [
            .. from function in document.RootElement.EnumerateArray()
               from binding in function.GetProperty("bindings").EnumerateArray()
               where binding.GetProperty("type").GetString() == "httpTrigger"
               select new HttpFunction(
                   function.GetProperty("name").GetString()!,
                   binding.GetProperty("route").GetString()!,
                   string.Join(",", binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order(StringComparer.Ordinal)),
                   binding.GetProperty("authLevel").GetString()!),
        ];
    }

    private static readonly (string Route, string[] Verbs)[] s_velozEndpoints =
    [
        ("api/admin/keys", ["get", "post"]),
        ("api/admin/keys/revoke", ["post"]),
        ("api/admin/trading_mode", ["get", "post"]),
        ("api/admin/cancel_all", ["post"]),
        ("api/symbols", ["get"]),
        ("api/fills", ["get"]),
        ("health/live", ["get"]),
        ("health/ready", ["get"]),
        ("openapi.json", ["get"]),
        ("dashboard/{*file}", ["get"]),
    ];

    [Fact]
    public void Every_contract_endpoint_is_an_http_function_with_its_verb()
    {
        var functions = ReadHttpFunctions();
        // The contract's endpoints plus VeloZ's own: the admin endpoints (docs/security.md) and the new read endpoints (docs/api.md).
        var expected = ContractEndpoints.All
            .Select(e => (Route: e.Key, Verbs: new[] { e.Value }))
            .Concat(s_velozEndpoints)
            .OrderBy(e => e.Route, StringComparer.Ordinal)
            .Select(e => $"{e.Route} [{string.Join(",", e.Verbs.Append("options").Order(StringComparer.Ordinal))}]");
        var actual = functions
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .Select(f => $"{f.Route} [{f.Methods}]")
            .ToList();
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();

        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"functions.metadata ({package.Origin}) differs from the contract. Missing: {string.Join("; ", missing)}. Not in the contract: {string.Join("; ", extra)}.");
    }

    [Fact]
    public void Every_http_function_is_anonymous()
    {
        var functions = ReadHttpFunctions();

        Assert.NotEmpty(functions);
        Assert.All(functions, f => Assert.True(f.AuthLevel == "Anonymous", $"{f.Name} ({f.Route}) has authLevel {f.AuthLevel}"));
    }

    [Fact]
    public void Every_function_runs_from_the_packaged_assembly()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "functions.metadata")));

        Assert.All(document.RootElement.EnumerateArray(), function =>
        {
            Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
            Assert.Contains(function.GetProperty("scriptFile").GetString()!, package.ZipEntries);
        });
    }
}
