using System.Text.Json;

namespace VeloZ.FunctionsHost;

/// <summary>
/// The <c>Values</c> of a <c>local.settings.json</c>-shaped file. Core Tools turns them into environment
/// variables of the host and the worker (the worker never reads the file itself); the stand-in does the same.
/// </summary>
internal static class LocalSettings
{
    public static IReadOnlyDictionary<string, string?> ReadValues(string? path)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path))
        {
            return values;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FunctionsHostStandInException($"{path} is not valid JSON: {ex.Message}", ex);
        }

        return values;
    }
}
