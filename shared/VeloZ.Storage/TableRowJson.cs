using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VeloZ.Storage;

/// <summary>
/// The Table service's JSON as <see cref="TableRowClient"/> speaks it: an entity written straight to UTF-8
/// (<c>odata=nometadata</c>, type annotations where JSON cannot tell), and the fields of an OData error body.
/// </summary>
internal static class TableRowJson
{
    /// <summary>
    /// The operation's entity as the Table service's JSON: Int64, DateTime, Double, Guid and Binary values carry
    /// their type annotation; an insert also carries its write id.
    /// </summary>
    public static byte[] Entity(RowOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var entity = operation.Entity;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("PartitionKey", entity.PartitionKey);
            w.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity)
            {
                if (name is "PartitionKey" or "RowKey" or "odata.etag" or "Timestamp" || value is null)
                {
                    continue;
                }

                switch (value)
                {
                    case string s:
                        w.WriteString(name, s);
                        break;
                    case bool b:
                        w.WriteBoolean(name, b);
                        break;
                    case int i:
                        w.WriteNumber(name, i);
                        break;
                    case long l:
                        w.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                        w.WriteString(name + "@odata.type", "Edm.Int64");
                        break;
                    case double d:
                        w.WriteNumber(name, d);
                        w.WriteString(name + "@odata.type", "Edm.Double");
                        break;
                    case DateTimeOffset t:
                        w.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                        w.WriteString(name + "@odata.type", "Edm.DateTime");
                        break;
                    case Guid g:
                        w.WriteString(name, g.ToString("D"));
                        w.WriteString(name + "@odata.type", "Edm.Guid");
                        break;
                    case byte[] bytes:
                        w.WriteBase64String(name, bytes);
                        w.WriteString(name + "@odata.type", "Edm.Binary");
                        break;
                    default:
                        throw new NotSupportedException($"Column {name} has a type Table storage rows here do not carry ({value.GetType().Name}).");
                }
            }

            if (operation.ETag is null && operation.WriteIdColumn is not null && operation.WriteId is not null)
            {
                w.WriteString(operation.WriteIdColumn, operation.WriteId);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>code</c> of an OData error body.</summary>
    public static string? ErrorCode(string text) => JsonStringAfter(text, "\"code\":");

    /// <summary>The message of an OData error body; in a transaction it starts with the failed operation's index ("3:…").</summary>
    public static string? ErrorMessage(string text) => JsonStringAfter(text, "\"value\":");

    private static string? JsonStringAfter(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = text.IndexOf('"', at + marker.Length);
        if (start < 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text[start..]));
            return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
