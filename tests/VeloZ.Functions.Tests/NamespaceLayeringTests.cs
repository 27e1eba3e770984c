using System.Text.RegularExpressions;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>
/// The API project's namespaces form layers, each using only those below it, so a change in one never needs
/// a change in a namespace that depends on it: Runtime and Http at the bottom, then Security, Push, Orders,
/// Endpoints, and Hosting (the composition root) on top.
/// </summary>
public sealed partial class NamespaceLayeringTests
{
    private static readonly string[] s_layers = ["Runtime", "Http", "Security", "Push", "Orders", "Endpoints", "Hosting"];

    [Fact]
    public void Each_namespace_of_the_api_uses_only_the_layers_below_it()
    {
        var project = Path.Combine(RepositoryPaths.Root, "functions", "VeloZ.Functions");
        var violations = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } declared)
            {
                continue;
            }

            var layer = declared.Groups[1].Value;
            seen.Add(layer);
            var rank = Array.IndexOf(s_layers, layer);
            Assert.True(rank >= 0, $"{Path.GetRelativePath(project, file)}: namespace VeloZ.Functions.{layer} is in no layer; add it to the list above.");
            foreach (Match used in UsingLine().Matches(text))
            {
                var target = used.Groups[1].Value;
                if (Array.IndexOf(s_layers, target) >= rank)
                {
                    violations.Add($"{Path.GetRelativePath(project, file)}: {layer} uses {target}");
                }
            }
        }

        Assert.Empty(violations);
        Assert.Equal(s_layers.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_order_logic_knows_nothing_of_http()
    {
        // OrderService and VenueAccess return typed outcomes; only the endpoints (OrderAnswers) turn them into HTTP.
        var orders = Path.Combine(RepositoryPaths.Root, "functions", "VeloZ.Functions", "Orders");
        var files = Directory.EnumerateFiles(orders, "*.cs").ToList();
        Assert.NotEmpty(files);
        var http = files
            .Where(f => HttpUsing().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetFileName(f))
            .ToList();

        Assert.Empty(http);
    }

    [GeneratedRegex(@"^using (Microsoft\.AspNetCore\.|VeloZ\.Functions\.Http;)", RegexOptions.Multiline)]
    private static partial Regex HttpUsing();

    [GeneratedRegex(@"^namespace VeloZ\.Functions\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using VeloZ\.Functions\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
