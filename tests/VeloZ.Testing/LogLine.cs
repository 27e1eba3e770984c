using System.Globalization;
using System.Text.Json;

namespace VeloZ.Testing;

/// <summary>
/// One JSON log line of the API or the worker (their format when the output is redirected, as in every test), read
/// back: the entry's parts, and <see cref="Readable"/>, the same entry as the text format writes it
/// (<c>HH:mm:ss.fff info: Category[0] message</c>), so a test finds a message whichever format a process used.
/// </summary>
public sealed record LogLine(DateTimeOffset Time, string Level, string Category, int EventId, string Message, bool Audit, string? Event, JsonElement? Fields, string? Exception)
{
    /// <summary>The entry of a JSON log line; false for any other line (text, a stack trace, another program's output).</summary>
    public static bool TryParse(string line, out LogLine entry)
    {
        ArgumentNullException.ThrowIfNull(line);
        entry = null!;
        if (!line.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("time", out var time) || !root.TryGetProperty("level", out var level)
                || !root.TryGetProperty("category", out var category) || !root.TryGetProperty("message", out var message))
            {
                return false;
            }

            entry = new LogLine(
                DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                level.GetString()!,
                category.GetString()!,
                root.TryGetProperty("event_id", out var eventId) ? eventId.GetInt32() : 0,
                message.GetString()!,
                root.TryGetProperty("audit", out var audit) && audit.GetBoolean(),
                root.TryGetProperty("event", out var name) ? name.GetString() : null,
                root.TryGetProperty("fields", out var fields) ? fields.Clone() : null,
                root.TryGetProperty("exception", out var exception) ? exception.GetString() : null);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A JSON log line as the text format writes the entry; any other line as it is.</summary>
    public static string Readable(string line) => TryParse(line, out var entry) ? entry.ToText() : line;

    /// <summary>The entry as the text format writes it (UTC time, the short level name), exception on the same line.</summary>
    public string ToText()
    {
        var text = $"{Time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {ShortLevel(Level)}: {Category}[{EventId.ToString(CultureInfo.InvariantCulture)}] {Message}";
        return Exception is null ? text : $"{text} {Exception}";
    }

    private static string ShortLevel(string level) => level switch
    {
        "Trace" => "trce",
        "Debug" => "dbug",
        "Information" => "info",
        "Warning" => "warn",
        "Error" => "fail",
        "Critical" => "crit",
        _ => level,
    };
}
