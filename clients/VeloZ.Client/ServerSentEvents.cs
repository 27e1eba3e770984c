using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace VeloZ.Client;

/// <summary>Reads the <c>text/event-stream</c> of <c>/api/stream</c>: <c>id</c>, <c>event</c> and <c>data</c> lines, a blank line ending each event; comments (<c>: keep-alive</c>) skipped.</summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<StreamEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? id = null;
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    using var document = JsonDocument.Parse(data.ToString());
                    yield return new StreamEvent(id ?? 0, name ?? "message", document.RootElement.Clone());
                }

                (id, name) = (null, null);
                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value);
                    break;
            }
        }
    }
}
