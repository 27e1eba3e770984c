using System.Reflection;
using VeloZ.Testing;

namespace VeloZ.Infra.Tests;

/// <summary>
/// The Bicep compiler: the executable inside the <c>Azure.Bicep.CommandLine.linux-x64</c> package (restored with
/// this project, path baked into the assembly), or <c>bicep</c> on PATH on other platforms.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public static string? Path { get; } = Find();

    private static string? Find()
    {
        var packaged = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value;
        if (packaged is not null && File.Exists(packaged))
        {
            return packaged;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "bicep", "bicep.exe" })
            {
                var candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The compiler, or the test is skipped with how to get one (only off linux-x64).</summary>
    public static string Require()
    {
        if (Path is null)
        {
            Assert.Skip("No Bicep compiler: the Azure.Bicep.CommandLine.linux-x64 package serves linux-x64 only; elsewhere install bicep (az bicep install) and put it on PATH.");
        }

        return Path!;
    }

    /// <summary>Runs bicep with <paramref name="arguments"/> in the repository root; returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(Require())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        using var cts = new CancellationTokenSource(s_timeout);
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var errors = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {s_timeout}.");
        }

        return (process.ExitCode, await output, await errors);
    }
}
