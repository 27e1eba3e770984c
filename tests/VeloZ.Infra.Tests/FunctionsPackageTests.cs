using System.Text.Json;

namespace VeloZ.Infra.Tests;

/// <summary>
/// The deployment zip for Flex Consumption: the publish folder's contents at the zip's root, with what
/// the Functions host needs to load a dotnet-isolated app (host.json, functions.metadata,
/// worker.config.json, extensions.json and the hidden .azurefunctions folder).
/// </summary>
[Collection(FunctionsPackageGroup.Name)]
public sealed class FunctionsPackageTests(FunctionsPackage package)
{
    private static readonly string[] s_required =
    [
        "host.json", "functions.metadata", "worker.config.json", "extensions.json",
        "VeloZ.Functions.dll", "VeloZ.Functions.deps.json", "VeloZ.Functions.runtimeconfig.json",
        ".azurefunctions/function.deps.json",
        ".azurefunctions/Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll",
        ".azurefunctions/Microsoft.Azure.Functions.Worker.Extensions.dll",
    ];

    private JsonDocument ReadJson(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, file)));

    [Fact]
    public void The_zip_holds_the_host_files_at_its_root()
    {
        var missing = s_required.Where(f => !package.ZipEntries.Contains(f)).ToList();

        Assert.True(missing.Count == 0, $"{package.Zip} ({package.Origin}) lacks {string.Join(", ", missing)}; it has {string.Join(", ", package.ZipEntries.Take(80))}");
    }

    [Fact]
    public void The_zip_is_exactly_the_publish_folder()
    {
        var files = Directory.EnumerateFiles(package.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(package.Folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(files, package.ZipEntries);
    }

    [Fact]
    public void Nothing_local_goes_into_the_package()
    {
        Assert.DoesNotContain("local.settings.json", package.ZipEntries);
        Assert.DoesNotContain(package.ZipEntries, e => e.StartsWith("obj/", StringComparison.Ordinal) || e.StartsWith("bin/", StringComparison.Ordinal));
    }

    [Fact]
    public void Worker_config_launches_the_api_with_dotnet_and_worker_indexing()
    {
        using var config = ReadJson("worker.config.json");
        var description = config.RootElement.GetProperty("description");

        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("dotnet", description.GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("VeloZ.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        Assert.Equal("true", description.GetProperty("workerIndexing").GetString());
    }

    [Fact]
    public void Extensions_json_points_into_the_package()
    {
        using var extensions = ReadJson("extensions.json");
        var hints = extensions.RootElement.GetProperty("extensions").EnumerateArray()
            .Select(e => e.GetProperty("hintPath").GetString()!)
            .ToList();

        Assert.NotEmpty(hints);
        Assert.All(hints, hint => Assert.Contains(hint.StartsWith("./", StringComparison.Ordinal) ? hint[2..] : hint, package.ZipEntries));
    }

    [Fact]
    public void Host_json_keeps_the_contract_paths_and_the_function_timeout_and_emits_OpenTelemetry()
    {
        using var host = ReadJson("host.json");

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        // The host's own telemetry in OpenTelemetry form, so its spans and the worker's share one trace and one exporter.
        Assert.Equal("OpenTelemetry", host.RootElement.GetProperty("telemetryMode").GetString());
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("00:30:00", host.RootElement.GetProperty("functionTimeout").GetString());
    }

    [Fact]
    public void The_app_is_a_framework_dependent_net10_build_for_linux_x64()
    {
        using var runtimeConfig = ReadJson("VeloZ.Functions.runtimeconfig.json");
        var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
        using var deps = ReadJson("VeloZ.Functions.deps.json");

        Assert.Equal("net10.0", options.GetProperty("tfm").GetString());
        Assert.Contains(options.GetProperty("frameworks").EnumerateArray(), f => f.GetProperty("name").GetString() == "Microsoft.AspNetCore.App");
        Assert.Equal(".NETCoreApp,Version=v10.0/linux-x64", deps.RootElement.GetProperty("runtimeTarget").GetProperty("name").GetString());
        Assert.DoesNotContain(package.ZipEntries, e => e.StartsWith("System.Private.CoreLib", StringComparison.Ordinal));
    }
}
