using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;
using VeloZ.Testing;

namespace VeloZ.Infra.Tests;

/// <summary>
/// <c>local.settings.sample.json</c> (copied to <c>functions/VeloZ.Functions/local.settings.json</c> for
/// <c>func start</c>) is valid for Core Tools and holds exactly the settings docs/configuration.md
/// documents, with values VeloZ accepts.
/// </summary>
public sealed partial class LocalSettingsSampleTests
{
    /// <summary>
    /// Documented settings that do not belong in the sample: the standalone host's address (under the
    /// Functions host, Core Tools owns the port), and the identity-based storage settings (Azure only; Core
    /// Tools reserves <c>__</c> in names).
    /// </summary>
    private static readonly string[] s_notInSample = ["VELOZ_HOST", "VELOZ_PORT"];

    /// <summary>Functions settings that are not VeloZ's own, in the sample for Core Tools.</summary>
    private static readonly string[] s_functionsOnly = ["FUNCTIONS_WORKER_RUNTIME"];

    private static JsonDocument ReadSample() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")));

    private static Dictionary<string, string> ReadValues()
    {
        using var sample = ReadSample();
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new InvalidOperationException($"{p.Name} is not a string"), StringComparer.Ordinal);
    }

    [GeneratedRegex("`([A-Za-z_][A-Za-z0-9_]*)`", RegexOptions.CultureInvariant)]
    private static partial Regex BacktickedName();

    /// <summary>The settings in the first cell of each row of configuration.md's main table (the one before "Scripts only").</summary>
    private static List<string> DocumentedSettings()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| Variable |", StringComparison.Ordinal));
        Assert.True(header >= 0, "docs/configuration.md has no settings table");
        var names = new List<string>();
        foreach (var row in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var firstCell = row.Split('|', StringSplitOptions.TrimEntries)[1];
            names.AddRange(BacktickedName().Matches(firstCell).Select(m => m.Groups[1].Value).Where(n => !n.StartsWith("__", StringComparison.Ordinal)));
        }

        return names;
    }

    [Fact]
    public void The_sample_is_plain_json_in_the_core_tools_shape()
    {
        using var sample = ReadSample();
        var root = sample.RootElement;
        var host = root.GetProperty("Host");

        Assert.False(root.GetProperty("IsEncrypted").GetBoolean());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("ConnectionStrings").ValueKind);
        Assert.Equal(7071, host.GetProperty("LocalHttpPort").GetInt32());
        // No Core Tools CORS: VeloZ answers CORS itself (VELOZ_CORS_ORIGINS), as in Azure where the
        // templates set no platform CORS; Core Tools' own would allow origins VeloZ refuses.
        Assert.False(host.TryGetProperty("CORS", out _));
        Assert.False(host.TryGetProperty("CORSCredentials", out _));
        Assert.All(ReadValues().Keys, name => Assert.False(name.Contains("__", StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal), $"{name}: Core Tools reserves '__' and ':' in setting names"));
    }

    [Fact]
    public void The_sample_runs_the_isolated_worker_on_azurite_with_the_self_hosted_hub()
    {
        var values = ReadValues();

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("", values["AzureSignalRConnectionString"]);
    }

    [Fact]
    public void The_sample_holds_exactly_the_documented_settings()
    {
        var documented = DocumentedSettings();
        var expected = documented.Where(n => !n.Contains("__", StringComparison.Ordinal) && !s_notInSample.Contains(n)).Concat(s_functionsOnly).Order(StringComparer.Ordinal);

        Assert.All(s_notInSample, n => Assert.Contains(n, documented));
        Assert.Equal(expected, ReadValues().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_documented_veloz_setting_is_one_veloz_reads()
    {
        var documented = DocumentedSettings().Where(n => n.StartsWith("VELOZ_", StringComparison.Ordinal) || n.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal));

        Assert.All(documented, n => Assert.Contains(n, ConfigurationVariables.All));
    }

    [Fact]
    public void VeloZ_accepts_the_sample_values()
    {
        var values = ReadValues().Where(v => v.Key.StartsWith("VELOZ_", StringComparison.Ordinal) || v.Key == "AzureWebJobsStorage");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

        var options = GatewayOptionsLoader.Load(configuration);

        Assert.Equal(ExecutionMode.SimEngine, options.Venue.ExecutionMode);
        Assert.Null(options.Storage.StorageIdentity);
    }
}
