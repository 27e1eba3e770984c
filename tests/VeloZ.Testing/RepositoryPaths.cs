namespace VeloZ.Testing;

/// <summary>Locates the repository (the folder holding <c>VeloZ.sln</c>) and build outputs from a test's bin folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VeloZ.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"VeloZ.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => s_root.Value;

    /// <summary>The configuration the tests were built with (Debug or Release), read from the test's own path.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The build output folder of a project, e.g. <c>functions/VeloZ.Functions</c>.</summary>
    public static string BuildOutput(string projectFolder) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0");
}
