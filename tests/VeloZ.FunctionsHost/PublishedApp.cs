using System.Globalization;
using System.Text.Json;

namespace VeloZ.FunctionsHost;

/// <summary>
/// What the host reads from a published function app folder: <c>worker.config.json</c> (how to start
/// the worker), <c>host.json</c> (<c>extensions.http.routePrefix</c>, <c>functionTimeout</c>) and
/// <c>functions.metadata</c> (the functions the build declared).
/// </summary>
internal sealed record PublishedApp(string Directory, string Executable, string WorkerPath, string RoutePrefix, TimeSpan FunctionTimeout)
{
    private static readonly JsonDocumentOptions s_lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static PublishedApp Read(string directory)
    {
        var full = Path.GetFullPath(directory);
        foreach (var required in new[] { "worker.config.json", "host.json", "functions.metadata" })
        {
            if (!File.Exists(Path.Combine(full, required)))
            {
                throw new FunctionsHostStandInException(
                    $"'{full}' is not a published function app: {required} is missing. Publish the app (dotnet publish) and pass the output folder.");
            }
        }

        using var config = ReadJson(Path.Combine(full, "worker.config.json"));
        if (!config.RootElement.TryGetProperty("description", out var description))
        {
            throw new FunctionsHostStandInException($"{Path.Combine(full, "worker.config.json")} has no 'description'.");
        }

        var indexing = description.TryGetProperty("workerIndexing", out var indexingValue) ? indexingValue.ToString() : "false";
        if (!string.Equals(indexing, "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new FunctionsHostStandInException(
                $"{full}: worker.config.json does not enable worker indexing; the stand-in only supports workers that report their own function metadata.");
        }

        var executable = ExpandWorkerRoot(StringOrDefault(description, "defaultExecutablePath", "dotnet"), full);
        var workerPath = ExpandWorkerRoot(StringOrDefault(description, "defaultWorkerPath", ""), full);
        if (workerPath.Length == 0)
        {
            throw new FunctionsHostStandInException($"{full}: worker.config.json names no defaultWorkerPath.");
        }

        var (routePrefix, functionTimeout) = ReadHostJson(Path.Combine(full, "host.json"));
        return new PublishedApp(full, executable, Path.Combine(full, workerPath), routePrefix, functionTimeout);
    }

    /// <summary>The function names in <c>functions.metadata</c>, as the build declared them.</summary>
    public static IReadOnlyList<string> DeclaredFunctionNames(string directory)
    {
        using var metadata = ReadJson(Path.Combine(directory, "functions.metadata"));
        return [.. metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "")];
    }

    /// <summary>
    /// <c>extensions.http.routePrefix</c> (missing → <c>api</c>, <c>""</c> → none) and <c>functionTimeout</c>
    /// (missing → 30 minutes, <c>-1</c> → unbounded), read like the host reads them.
    /// </summary>
    private static (string RoutePrefix, TimeSpan FunctionTimeout) ReadHostJson(string path)
    {
        using var host = ReadJson(path);
        var root = host.RootElement;
        var prefix = root.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var value)
            && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim('/')
            : "api";

        var timeout = TimeSpan.FromMinutes(30);
        if (root.TryGetProperty("functionTimeout", out var timeoutValue) && timeoutValue.ValueKind == JsonValueKind.String)
        {
            var text = timeoutValue.GetString()!;
            timeout = text == "-1" ? Timeout.InfiniteTimeSpan
                : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed
                : throw new FunctionsHostStandInException($"{path}: functionTimeout '{text}' is not a time span (hh:mm:ss) or -1.");
        }

        return (prefix, timeout);
    }

    private static string StringOrDefault(JsonElement element, string name, string fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;

    private static string ExpandWorkerRoot(string value, string directory) =>
        value.Replace("{WorkerRoot}", directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static JsonDocument ReadJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, s_lenient);
        }
        catch (JsonException ex)
        {
            throw new FunctionsHostStandInException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }
}
