using VeloZ.Testing;

namespace VeloZ.FunctionsHost;

/// <summary>How to start a <see cref="FunctionsHostStandIn"/>.</summary>
public sealed class FunctionsHostStandInOptions
{
    /// <summary>The published app folder (the output of <c>dotnet publish</c>), see <see cref="FunctionsAppPublisher"/>.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>
    /// App settings, passed to the worker as environment variables on top of the <c>Values</c> of
    /// <see cref="LocalSettingsFile"/>; a null value removes a variable.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// A <c>local.settings.json</c>-shaped file whose <c>Values</c> are the base app settings; by default
    /// the repository's <c>local.settings.sample.json</c> (skipped when it does not exist). Null: none.
    /// </summary>
    public string? LocalSettingsFile { get; init; } = DefaultLocalSettingsFile;

    /// <summary>Receives every worker log line and every note of the stand-in as it happens (e.g. to test output).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>How long the worker may take from launch to all functions loaded (the host allows 60 s).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker is sent a <c>WorkerStatusRequest</c>.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The function key the HTTP front accepts for <c>authLevel: function</c>; random when null.</summary>
    public string? FunctionKey { get; init; }

    /// <summary>How long the worker may take to exit after <c>WorkerTerminate</c> before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The repository's <c>local.settings.sample.json</c>.</summary>
    public static string DefaultLocalSettingsFile => Path.Combine(RepositoryPaths.Root, "local.settings.sample.json");
}
