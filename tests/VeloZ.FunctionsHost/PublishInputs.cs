using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace VeloZ.FunctionsHost;

/// <summary>
/// A fingerprint of what a publish depends on: every file (path, size, time) of the project and of the
/// projects it references, transitively, without their <c>bin/</c> and <c>obj/</c>, plus the build
/// settings files from the project's folder up to the repository root. An unchanged fingerprint next to
/// an existing publish output means that output is current and need not be published again.
/// </summary>
internal static class PublishInputs
{
    private static readonly string[] s_settingsFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.Config"];

    public static string Fingerprint(string projectPath, string repositoryRoot)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectPath)]);
        while (pending.TryPop(out var project))
        {
            if (!visited.Add(project) || !File.Exists(project))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(project)!;
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, file);
                var top = relative.Split(Path.DirectorySeparatorChar)[0];
                if (top is not ("bin" or "obj"))
                {
                    files.Add(file);
                }
            }

            for (var dir = new DirectoryInfo(directory); dir is not null && dir.FullName.StartsWith(repositoryRoot, StringComparison.Ordinal); dir = dir.Parent)
            {
                foreach (var name in s_settingsFiles.Select(n => Path.Combine(dir.FullName, n)).Where(File.Exists))
                {
                    files.Add(name);
                }
            }

            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                if (reference.Attribute("Include")?.Value is { Length: > 0 } include)
                {
                    pending.Push(Path.GetFullPath(include.Replace('\\', Path.DirectorySeparatorChar), directory));
                }
            }
        }

        var text = new StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            text.Append(file).Append('|').Append(info.Length.ToString(CultureInfo.InvariantCulture))
                .Append('|').Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
