using System.Xml.Linq;
using VeloZ.Testing;

namespace VeloZ.Infra.Tests;

/// <summary>
/// Docker is not available where the tests run, so the worker's Dockerfile is checked by reading it:
/// every path it copies exists, the restore layer copies every project the worker references (so a new
/// reference can't break the image build unnoticed), the build settings files go in, the images match the
/// target framework, and the entry point is the worker's assembly.
/// </summary>
public sealed class WorkerDockerfileTests
{
    private const string DockerfilePath = "worker/VeloZ.Worker/Dockerfile";
    private const string WorkerProject = "worker/VeloZ.Worker/VeloZ.Worker.csproj";

    private static string Root => RepositoryPaths.Root;

    private sealed record Instruction(string Keyword, string Arguments);

    private static List<Instruction> ReadInstructions()
    {
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(Root, DockerfilePath)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            line = pending + line;
            pending = "";
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }

        return instructions;
    }

    /// <summary>Sources of the COPY instructions that copy from the build context (not from a stage).</summary>
    private static List<(string Source, string Destination)> ContextCopies() =>
    [
        .. from instruction in ReadInstructions()
           where instruction.Keyword == "COPY" && !instruction.Arguments.StartsWith("--from", StringComparison.Ordinal)
           let parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
           from source in parts[..^1]
           select (source, parts[^1]),
    ];

    private static SortedSet<string> ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(Path.Combine(Root, current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Root, directory, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        var copies = ContextCopies();

        Assert.NotEmpty(copies);
        Assert.All(copies, copy => Assert.True(
            File.Exists(Path.Combine(Root, copy.Source)) || Directory.Exists(Path.Combine(Root, copy.Source)),
            $"{DockerfilePath} copies {copy.Source}, which does not exist"));
    }

    [Fact]
    public void The_restore_layer_copies_every_project_the_worker_builds_to_its_own_path()
    {
        var copied = ContextCopies().Where(c => c.Source.EndsWith(".csproj", StringComparison.Ordinal)).ToList();

        Assert.Equal(ProjectClosure(WorkerProject), copied.Select(c => c.Source).Order(StringComparer.Ordinal));
        Assert.All(copied, c => Assert.Equal(Path.GetDirectoryName(c.Source)!.Replace('\\', '/') + "/", c.Destination));
    }

    [Fact]
    public void The_build_settings_files_go_into_the_build()
    {
        var copied = ContextCopies().Select(c => c.Source).ToHashSet(StringComparer.Ordinal);
        string[] settings = ["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", ".editorconfig", "nuget.config", "NuGet.Config"];

        foreach (var file in settings.Where(f => File.Exists(Path.Combine(Root, f))))
        {
            Assert.True(copied.Contains(file), $"{DockerfilePath} does not copy {file}; the build in the image would differ from ours");
        }

        foreach (var project in ProjectClosure(WorkerProject))
        {
            var folder = project.Split('/')[0] + "/";
            Assert.True(copied.Contains(folder), $"{DockerfilePath} does not copy {folder}, which holds {project}");
        }
    }

    [Fact]
    public void Restore_and_publish_name_the_worker_project()
    {
        var runs = ReadInstructions().Where(i => i.Keyword == "RUN").Select(i => i.Arguments).ToList();

        Assert.Contains(runs, r => r.StartsWith("dotnet restore " + WorkerProject, StringComparison.Ordinal));
        Assert.Contains(runs, r => r.StartsWith("dotnet publish " + WorkerProject, StringComparison.Ordinal) && r.Contains("-c Release", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Root, WorkerProject)));
    }

    [Fact]
    public void Images_are_the_official_dotnet_ones_for_the_target_framework()
    {
        var framework = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("TargetFramework").First().Value;
        var version = framework["net".Length..];
        var images = ReadInstructions().Where(i => i.Keyword == "FROM").Select(i => i.Arguments.Split(' ')[0]).ToList();

        Assert.Equal([$"mcr.microsoft.com/dotnet/sdk:{version}", $"mcr.microsoft.com/dotnet/aspnet:{version}"], images);
    }

    [Fact]
    public void The_image_runs_the_worker_assembly_as_a_non_root_user()
    {
        var instructions = ReadInstructions();
        var project = XDocument.Load(Path.Combine(Root, WorkerProject));
        var assembly = project.Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(WorkerProject);

        Assert.Equal($"[\"dotnet\", \"{assembly}.dll\"]", instructions.Last(i => i.Keyword == "ENTRYPOINT").Arguments);
        Assert.Equal("$APP_UID", instructions.Last(i => i.Keyword == "USER").Arguments);
    }

    [Fact]
    public void The_build_context_leaves_out_build_outputs_and_local_settings()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("**/local.settings.json", ignored);
        Assert.Contains("node_modules/", ignored);
    }
}
