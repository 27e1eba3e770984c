using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>
/// The Functions SDK writes <c>functions.metadata</c> at build time; the Functions host routes by it.
/// The standalone host builds its routes from the same attributes. These tests prove the two agree.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private sealed record Trigger(string Name, string Route, string[] Methods, string AuthLevel);

    private static List<Trigger> ReadMetadata()
    {
        var path = Path.Combine(RepositoryPaths.BuildOutput("functions/VeloZ.Functions"), "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build functions/VeloZ.Functions first.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var triggers = new List<Trigger>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() == "httpTrigger")
                {
                    triggers.Add(new Trigger(
                        function.GetProperty("name").GetString()!,
                        binding.GetProperty("route").GetString()!,
                        [.. binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal)],
                        binding.GetProperty("authLevel").GetString()!));
                }
            }
        }

        return [.. triggers.OrderBy(t => t.Route, StringComparer.Ordinal)];
    }

    private static string Describe(IEnumerable<Trigger> triggers) =>
        string.Join("; ", triggers.Select(t => $"{t.Name} {t.Route} [{string.Join(",", t.Methods)}] {t.AuthLevel}"));

    [Fact]
    public void Metadata_lists_the_implemented_contract_paths_as_http_triggers()
    {
        var metadata = ReadMetadata();

        Assert.Equal(ContractRoutes.Implemented, metadata.Select(t => t.Route));
        Assert.All(metadata, t =>
        {
            Assert.True(ContractRoutes.All.TryGetValue(t.Route, out var verbs), $"{t.Route} is not a contract path");
            Assert.Equal(verbs.Append("options").Order(StringComparer.Ordinal), t.Methods);
            Assert.Equal("Anonymous", t.AuthLevel);
        });
    }

    [Fact]
    public void Attribute_route_table_equals_the_metadata()
    {
        var fromAttributes = FunctionRouteTable.FromAssembly(typeof(ApiProgram).Assembly)
            .Select(r => new Trigger(r.Name, r.Route, [.. r.Methods.Order(StringComparer.Ordinal)], r.AuthLevel.ToString()));

        Assert.Equal(Describe(ReadMetadata()), Describe(fromAttributes));
    }

    [Fact]
    public async Task Standalone_host_serves_exactly_the_metadata_routes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        await using var app = ApiProgram.BuildStandalone(builder, new GatewayOptions { Api = new() { Port = 0 }, Storage = new() { StorageConnectionString = new Secret(Ports.UnreachableStorageConnectionString()) } });
        var prefix = HostSettings.ReadRoutePrefix(AppContext.BaseDirectory);

        var served = app.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => (Path: e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal)))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => $"{e.Path} [{string.Join(",", e.Methods)}]");
        var expected = ReadMetadata().Select(t => $"{HostSettings.PathFor(prefix, t.Route).TrimStart('/')} [{string.Join(",", t.Methods)}]");

        Assert.Equal("", prefix);
        Assert.Equal(expected, served);
    }
}
