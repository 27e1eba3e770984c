using System.Collections.Concurrent;
using System.Diagnostics;
using VeloZ.Testing;

namespace VeloZ.FunctionsHost;

/// <summary>
/// Provides published function apps for the stand-in. <c>functions/VeloZ.Functions</c> comes from
/// <see cref="PublishDirectoryVariable"/> when the test script has already published it (once per run);
/// otherwise each app is published at most once per test process into a folder under <c>artifacts/</c>, and
/// not at all when the output is current (a fingerprint of the project's inputs is kept next to it, see
/// <see cref="PublishInputs"/>). A file lock next to the output folder keeps two test processes from
/// publishing into it at the same time.
/// </summary>
public static class FunctionsAppPublisher
{
    /// <summary>Set by the test script to a folder it published <c>functions/VeloZ.Functions</c> into (Release).</summary>
    public const string PublishDirectoryVariable = "VELOZ_FUNCTIONS_PUBLISH_DIR";

    /// <summary>The API's project, relative to the repository root.</summary>
    public const string VelozFunctionsProject = "functions/VeloZ.Functions/VeloZ.Functions.csproj";

    /// <summary>Where the API is published when the script did not do it, relative to the repository root.</summary>
    public const string VelozFunctionsOutput = "artifacts/functions-publish";

    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromMinutes(15);
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> s_published = new(StringComparer.Ordinal);

    /// <summary>The published folder of <c>functions/VeloZ.Functions</c>, publishing it first if need be.</summary>
    public static Task<string> GetVelozFunctionsAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        if (PresetPublishDirectory() is { } directory)
        {
            return Task.FromResult(directory);
        }

        if (Environment.GetEnvironmentVariable(PublishDirectoryVariable) is { Length: > 0 } preset)
        {
            log?.Invoke($"{PublishDirectoryVariable}={preset} holds no publish output; publishing {VelozFunctionsProject} instead.");
        }

        return PublishOnceAsync(VelozFunctionsProject, VelozFunctionsOutput, log, cancellationToken);
    }

    /// <summary>
    /// The folder in <see cref="PublishDirectoryVariable"/> (relative paths from the repository root) when it holds
    /// a publish output; otherwise null.
    /// </summary>
    public static string? PresetPublishDirectory()
    {
        var preset = Environment.GetEnvironmentVariable(PublishDirectoryVariable);
        if (string.IsNullOrWhiteSpace(preset))
        {
            return null;
        }

        var directory = Path.GetFullPath(preset, RepositoryPaths.Root);
        return IsPublishOutput(directory) ? directory : null;
    }

    /// <summary>
    /// Publishes <paramref name="project"/> (Release) into <paramref name="outputFolder"/> (both relative to the
    /// repository root, or absolute) the first time it is asked for in this process; later calls get the same folder.
    /// </summary>
    public static Task<string> PublishOnceAsync(string project, string outputFolder, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        var projectPath = Path.GetFullPath(project, RepositoryPaths.Root);
        var output = Path.GetFullPath(outputFolder, RepositoryPaths.Root);
        var publish = s_published.GetOrAdd(output, _ => new Lazy<Task<string>>(() => PublishAsync(projectPath, output, log)));
        if (publish.Value.IsFaulted)
        {
            // A failed publish (say, the tree was mid-edit) may be retried by the next caller.
            s_published.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(output, publish));
        }

        return publish.Value.WaitAsync(cancellationToken);
    }

    /// <summary>Whether a folder holds what the host needs from a publish output.</summary>
    public static bool IsPublishOutput(string directory) =>
        Directory.Exists(directory)
        && File.Exists(Path.Combine(directory, "functions.metadata"))
        && File.Exists(Path.Combine(directory, "worker.config.json"))
        && File.Exists(Path.Combine(directory, "host.json"));

    private static async Task<string> PublishAsync(string projectPath, string output, Action<string>? log)
    {
        if (!File.Exists(projectPath))
        {
            throw new FunctionsHostStandInException($"Cannot publish {projectPath}: no such project.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await using var exclusive = await AcquirePublishLockAsync(output, log);
        var stampPath = output + ".inputs";
        var fingerprint = PublishInputs.Fingerprint(projectPath, RepositoryPaths.Root);
        if (IsPublishOutput(output) && File.Exists(stampPath) && (await File.ReadAllTextAsync(stampPath)).Trim() == fingerprint)
        {
            log?.Invoke($"{output} is current for {projectPath}; not publishing again.");
            return output;
        }

        File.Delete(stampPath);
        var started = Stopwatch.GetTimestamp();
        log?.Invoke($"Publishing {projectPath} into {output} ...");
        await using var process = ChildProcess.Start(
            "dotnet publish",
            "dotnet",
            [
                // As scripts/publish.sh publishes the deployment package: linux-x64, framework-dependent.
                "publish", projectPath, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "-nologo",
                // No build servers: they would outlive the publish and hold its output pipes open.
                "-nodeReuse:false", "-p:UseSharedCompilation=false",
            ],
            new Dictionary<string, string?>
            {
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            },
            RepositoryPaths.Root);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(s_publishTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new FunctionsHostStandInException($"dotnet publish of {projectPath} did not finish within {s_publishTimeout}.", ex);
        }

        if (exitCode != 0 || !IsPublishOutput(output))
        {
            var tail = string.Join(Environment.NewLine, process.Lines.TakeLast(60));
            throw new FunctionsHostStandInException($"dotnet publish of {projectPath} failed (exit code {exitCode}):{Environment.NewLine}{tail}");
        }

        await File.WriteAllTextAsync(stampPath, fingerprint);
        log?.Invoke($"Published {projectPath} into {output} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s.");
        return output;
    }

    /// <summary>
    /// The exclusive lock file (advisory, across processes) that publishes into <paramref name="outputFolder"/>
    /// take: <c>&lt;outputFolder&gt;.lock</c>. Waits for another publisher to finish. Whoever else publishes the same
    /// project (it shares the project's <c>obj/</c> folder) takes it too; dispose to release.
    /// </summary>
    public static async Task<FileStream> AcquirePublishLockAsync(string outputFolder, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        var path = Path.GetFullPath(outputFolder, RepositoryPaths.Root) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = Stopwatch.GetTimestamp() + (long)(s_lockTimeout.TotalSeconds * Stopwatch.Frequency);
        var announced = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Stopwatch.GetTimestamp() < deadline)
            {
                if (!announced)
                {
                    log?.Invoke($"Waiting for another process that publishes into the same folder ({path}).");
                    announced = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
