using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace VeloZ.Hosting;

/// <summary>
/// One JSON object per log entry, on one line, for log collectors (Container Apps, Log Analytics, <c>jq</c>):
/// <c>time</c> (UTC, ISO 8601), <c>level</c>, <c>category</c>, <c>event_id</c>, <c>message</c> (the same text as the
/// text format, <c>[AUDIT]</c> prefix included, so a grep finds it in either), <c>audit</c> and <c>event</c> for an
/// <c>[AUDIT] &lt;event&gt;</c> entry, <c>fields</c> (the message template's named values, e.g. <c>ClientOrderId</c>),
/// <c>trace_id</c>/<c>span_id</c> inside a traced operation, and <c>exception</c>. <c>fields</c> holds only the
/// values the template names, so an entry says nothing its text line would not (a framework entry's state may carry
/// more, such as a URL whose query holds a token).
/// </summary>
public sealed class JsonLineConsoleFormatter(TimeProvider clock) : ConsoleFormatter(FormatterName)
{
    /// <summary>The name the console logger selects this formatter by.</summary>
    public const string FormatterName = "veloz-json";

    private const string AuditPrefix = "[AUDIT] ";
    private const string OriginalFormat = "{OriginalFormat}";

    private static readonly JsonWriterOptions s_options = new()
    {
        // Log lines are read by people and collectors, never embedded in HTML: keep '+', '<' or non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly ConcurrentDictionary<string, HashSet<string>> s_templateNames = new(StringComparer.Ordinal);

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("time", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("event_id", logEntry.EventId.Id);
            json.WriteString("message", message ?? "");
            if (AuditEvent(message) is { } auditEvent)
            {
                json.WriteBoolean("audit", true);
                json.WriteString("event", auditEvent);
            }

            WriteFields(json, logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>);
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    /// <summary>The event of an <c>[AUDIT] &lt;event&gt;...</c> message (<c>worker_lease_lost</c>); null for any other message.</summary>
    public static string? AuditEvent(string? message)
    {
        if (message is null || !message.StartsWith(AuditPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = AuditPrefix.Length;
        while (end < message.Length && (char.IsAsciiLetterLower(message[end]) || char.IsAsciiDigit(message[end]) || message[end] == '_'))
        {
            end++;
        }

        return end > AuditPrefix.Length ? message[AuditPrefix.Length..end] : null;
    }

    /// <summary>The names a message template holds (<c>{Name}</c>, <c>{Name:O}</c>, <c>{Name,8}</c>; <c>{{</c> is a literal brace).</summary>
    public static IReadOnlySet<string> TemplateNames(string template) => s_templateNames.GetOrAdd(template, Parse);

    private static HashSet<string> Parse(string template)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
            {
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                break;
            }

            var name = template[(i + 1)..close];
            var cut = name.IndexOfAny([':', ',']);
            names.Add((cut >= 0 ? name[..cut] : name).Trim());
            i = close;
        }

        return names;
    }

    private static void WriteFields(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        if (state is null || state.Count == 0 || state.FirstOrDefault(p => p.Key == OriginalFormat).Value is not string template)
        {
            return;
        }

        var names = TemplateNames(template);
        var started = false;
        foreach (var (key, value) in state)
        {
            if (key == OriginalFormat || !names.Contains(key))
            {
                continue;
            }

            if (!started)
            {
                json.WriteStartObject("fields");
                started = true;
            }

            json.WritePropertyName(key);
            WriteValue(json, value);
        }

        if (started)
        {
            json.WriteEndObject();
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case decimal d:
                json.WriteNumberValue(d);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case DateTimeOffset t:
                json.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTime t:
                json.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    json.WriteStringValue(Convert.ToString(item, CultureInfo.InvariantCulture));
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
