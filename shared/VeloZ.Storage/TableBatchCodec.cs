using System.Buffers;
using System.Globalization;
using System.Text;

namespace VeloZ.Storage;

/// <summary>
/// The Table service's entity-group transaction on the wire (<c>POST $batch</c>): a <c>multipart/mixed</c> body
/// with one changeset of inserts (<c>POST</c>), ETag-checked merges (<c>MERGE</c> with <c>If-Match</c>) and upserts
/// (<c>MERGE</c> without it), and
/// the answer's parts read back into each operation's new ETag, or the operation that failed.
/// </summary>
internal static class TableBatchCodec
{
    /// <summary>
    /// The body and its content type for <paramref name="operations"/> on <paramref name="table"/> (full name) at
    /// <paramref name="endpoint"/> (ending in <c>/</c>); <paramref name="id"/> makes the boundaries unique.
    /// </summary>
    public static (ReadOnlyMemory<byte> Body, string ContentType) Encode(Uri endpoint, string table, IReadOnlyList<RowOperation> operations, Guid id)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(operations);
        var batch = "batch_" + id.ToString("N");
        var changeset = "changeset_" + id.ToString("N");
        var tableUri = new Uri(endpoint, Uri.EscapeDataString(table)).AbsoluteUri;
        var body = new ArrayBufferWriter<byte>(1024 * operations.Count);
        Ascii(body, $"--{batch}\r\nContent-Type: multipart/mixed; boundary={changeset}\r\n\r\n");
        foreach (var op in operations)
        {
            Ascii(body, $"--{changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            if (op.Upsert)
            {
                // Insert Or Merge Entity: a MERGE without If-Match.
                Ascii(body, $"MERGE {new Uri(endpoint, EntityPath(table, op.Entity.PartitionKey, op.Entity.RowKey)).AbsoluteUri} HTTP/1.1\r\n");
            }
            else if (op.ETag is null)
            {
                Ascii(body, $"POST {tableUri} HTTP/1.1\r\n");
            }
            else
            {
                Ascii(body, $"MERGE {new Uri(endpoint, EntityPath(table, op.Entity.PartitionKey, op.Entity.RowKey)).AbsoluteUri} HTTP/1.1\r\nIf-Match: {op.ETag}\r\n");
            }

            Ascii(body, "Accept: application/json;odata=nometadata\r\nContent-Type: application/json\r\nPrefer: return-no-content\r\nDataServiceVersion: 3.0\r\n\r\n");
            var json = TableRowJson.Entity(op);
            json.AsSpan().CopyTo(body.GetSpan(json.Length));
            body.Advance(json.Length);
            Ascii(body, "\r\n");
        }

        Ascii(body, $"--{changeset}--\r\n--{batch}--\r\n");
        return (body.WrittenMemory, $"multipart/mixed; boundary={batch}");
    }

    /// <summary>Reads the parts of a <c>$batch</c> answer for <paramref name="count"/> operations: each one's ETag, or the failed one.</summary>
    public static RowWriteResult Parse(string text, int count)
    {
        ArgumentNullException.ThrowIfNull(text);
        var etags = new string?[count];
        var index = 0;
        var line = text.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
        while (line >= 0)
        {
            var status = int.Parse(text.AsSpan(line + 9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            var next = text.IndexOf("HTTP/1.1 ", line + 9, StringComparison.Ordinal);
            var end = next < 0 ? text.Length : next;
            if (status is < 200 or > 299)
            {
                var part = text[line..end];
                var message = TableRowJson.ErrorMessage(part);
                return RowWriteResult.FromStatus(status, TableRowJson.ErrorCode(part), FailedIndex(message), message);
            }

            if (index >= count)
            {
                return RowWriteResult.Unknown("more answers than operations");
            }

            etags[index++] = ETagIn(text, line, end);
            line = next;
        }

        return index == count ? RowWriteResult.Succeeded(etags) : RowWriteResult.Unknown($"{index} answers for {count} operations");
    }

    /// <summary>The index before the colon of a transaction's error message ("2:The specified entity already exists…"); -1 when absent.</summary>
    public static int FailedIndex(string? message)
    {
        if (message is null)
        {
            return -1;
        }

        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    /// <summary>The entity's address: <c>table(PartitionKey='…',RowKey='…')</c>, quotes doubled, then escaped.</summary>
    public static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{Uri.EscapeDataString(table)}(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}',RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')";

    /// <summary>The value of the <c>ETag</c> header among the part's headers (between <paramref name="start"/> and <paramref name="end"/>).</summary>
    private static string? ETagIn(string text, int start, int end)
    {
        var headersEnd = text.IndexOf("\r\n\r\n", start, end - start, StringComparison.Ordinal);
        var limit = headersEnd < 0 ? end : headersEnd;
        var at = text.IndexOf("\r\nETag:", start, limit - start, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var valueStart = at + 7;
        var lineEnd = text.IndexOf("\r\n", valueStart, StringComparison.Ordinal);
        return text[valueStart..(lineEnd < 0 ? end : lineEnd)].Trim();
    }

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        buffer.Advance(written);
    }
}
