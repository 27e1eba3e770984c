using System.IO.Compression;
using VeloZ.FunctionsHost;
using VeloZ.Testing;

namespace VeloZ.Infra.Tests;

/// <summary>
/// The API's deployment package as <c>scripts/publish.sh</c> makes it: the publish folder and the zip.
/// <c>scripts/test.sh</c> runs the script once per test run and passes both on
/// (<c>VELOZ_FUNCTIONS_PUBLISH_DIR</c>, <c>VELOZ_FUNCTIONS_PACKAGE</c>); without them the fixture runs the
/// script itself, into <c>artifacts/infra-tests/</c>, under the same lock as every other publish of the
/// project (they share its <c>obj/</c> folder).
/// </summary>
public sealed class FunctionsPackage : IAsyncLifetime
{
    /// <summary>Set by the test script to the zip <c>scripts/publish.sh</c> made.</summary>
    public const string PackageVariable = "VELOZ_FUNCTIONS_PACKAGE";

    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The publish folder.</summary>
    public string Folder { get; private set; } = "";

    /// <summary>The deployment zip.</summary>
    public string Zip { get; private set; } = "";

    /// <summary>How the package was obtained, for failure messages.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The zip's entries (files only), with forward slashes, as Azure will extract them.</summary>
    public IReadOnlyList<string> ZipEntries { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var presetFolder = FunctionsAppPublisher.PresetPublishDirectory();
        var presetZip = Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } zip ? Path.GetFullPath(zip, RepositoryPaths.Root) : null;
        if (presetFolder is not null && presetZip is not null && File.Exists(presetZip))
        {
            (Folder, Zip, Origin) = (presetFolder, presetZip, $"made by scripts/test.sh ({FunctionsAppPublisher.PublishDirectoryVariable}, {PackageVariable})");
        }
        else
        {
            (Folder, Zip) = await PublishAsync();
            Origin = "made by this test run with scripts/publish.sh";
        }

        using var archive = ZipFile.OpenRead(Zip);
        ZipEntries = [.. archive.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName.Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<(string Folder, string Zip)> PublishAsync()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "infra-tests", "functions-publish");
        var zip = Path.Combine(RepositoryPaths.Root, "artifacts", "infra-tests", "veloz-functions.zip");
        await using var exclusive = await FunctionsAppPublisher.AcquirePublishLockAsync(FunctionsAppPublisher.VelozFunctionsOutput);
        await using var process = ChildProcess.Start(
            "publish.sh",
            "bash",
            [Path.Combine(RepositoryPaths.Root, "scripts", "publish.sh"), "--output", folder, "--zip", zip],
            new Dictionary<string, string?>
            {
                // No build servers: they would outlive the publish and hold its output pipes open.
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["UseSharedCompilation"] = "false",
            });
        var exitCode = await process.WaitForExitAsync(s_publishTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/publish.sh failed (exit code {exitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, process.Lines.TakeLast(60))}");
        }

        return (folder, zip);
    }
}

[CollectionDefinition(Name)]
public sealed class FunctionsPackageGroup : ICollectionFixture<FunctionsPackage>
{
    public const string Name = "functions package";
}
