using System.Text.Json;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Reads <c>extensions.http.routePrefix</c> from the app's <c>host.json</c>, as both the Functions host
/// and the worker do (missing → <c>api</c>), so the standalone host applies the same prefix.
/// </summary>
public static class HostSettings
{
    public static string ReadRoutePrefix(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }

        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.ValueKind == JsonValueKind.String
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    /// <summary>The request path a route is served at: <c>/{prefix}/{route}</c>, or <c>/{route}</c> with an empty prefix.</summary>
    public static string PathFor(string routePrefix, string route) =>
        routePrefix.Length == 0 ? "/" + route.Trim('/') : "/" + routePrefix + "/" + route.Trim('/');
}
