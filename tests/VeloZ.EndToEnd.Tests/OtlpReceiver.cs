using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VeloZ.EndToEnd.Tests;

/// <summary>One exported span, as OTLP carries it, with the <c>service.name</c> of the process that sent it.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<IReadOnlyDictionary<string, string>> Events);

/// <summary>
/// A collector for the tests: takes OTLP over HTTP with protobuf bodies (<c>/v1/traces</c>, <c>/v1/metrics</c>,
/// <c>/v1/logs</c>) on a free loopback port, and keeps the spans and metric names the gateway's processes export.
/// The bodies are read with protobuf's wire format and the field numbers of the OTLP messages
/// (opentelemetry-proto: ExportTraceServiceRequest, ResourceSpans, ScopeSpans, Span, KeyValue, AnyValue, and their
/// metrics counterparts), only as deep as the tests look.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    public const int SpanKindServer = 2;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentDictionary<(string Service, string Metric), bool> _metrics = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.First();

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>Whether <paramref name="service"/> exported <paramref name="metric"/>.</summary>
    public bool HasMetric(string service, string metric) => _metrics.ContainsKey((service, metric));

    /// <summary>The settings that make a VeloZ process export here, often enough for a test to wait on.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async context => receiver.ReadTraces(await BodyAsync(context)));
        app.MapPost("/v1/metrics", async context => receiver.ReadMetrics(await BodyAsync(context)));
        app.MapPost("/v1/logs", async context => await BodyAsync(context));
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Reads the body and answers an empty export response (an empty protobuf message).</summary>
    private static async Task<byte[]> BodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        context.Response.ContentType = "application/x-protobuf";
        return buffer.ToArray();
    }

    private void ReadTraces(byte[] body)
    {
        foreach (var resourceSpans in Fields(body, 1))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    _spans.Enqueue(new ReceivedSpan(
                        service,
                        Hex(Field(span, 1)),
                        Hex(Field(span, 2)),
                        Hex(Field(span, 4)),
                        Text(Field(span, 5)),
                        (int)Varint(span, 6),
                        Attributes(Fields(span, 9)),
                        [.. Fields(span, 11).Select(e => Attributes(Fields(e, 3)))]));
                }
            }
        }
    }

    private void ReadMetrics(byte[] body)
    {
        foreach (var resourceMetrics in Fields(body, 1))
        {
            var service = ServiceName(resourceMetrics);
            foreach (var metric in Fields(resourceMetrics, 2).SelectMany(scope => Fields(scope, 2)))
            {
                _metrics[(service, Text(Field(metric, 1)))] = true;
            }
        }
    }

    /// <summary>The resource (field 1) attribute <c>service.name</c>.</summary>
    private static string ServiceName(ByteString resourceParent) =>
        Attributes(Fields(Field(resourceParent, 1), 1)).GetValueOrDefault("service.name", "");

    /// <summary>KeyValue (key 1, value 2) pairs; the value's string (1), bool (2), int (3) or double (4).</summary>
    private static Dictionary<string, string> Attributes(IEnumerable<ByteString> keyValues)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in keyValues)
        {
            var value = Field(keyValue, 2);
            attributes[Text(Field(keyValue, 1))] = Raw(value).FirstOrDefault() switch
            {
                (1, _, var bytes, _) => bytes!.ToStringUtf8(),
                (2, var number, _, _) => (number != 0).ToString(),
                (3, var number, _, _) => ((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (4, _, _, var fixed64) => BitConverter.Int64BitsToDouble((long)fixed64).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
        }

        return attributes;
    }

    private static IEnumerable<ByteString> Fields(ByteString message, int number) =>
        Raw(message).Where(f => f.Number == number && f.Bytes is not null).Select(f => f.Bytes!);

    private static IEnumerable<ByteString> Fields(byte[] message, int number) => Fields(ByteString.CopyFrom(message), number);

    private static ByteString Field(ByteString message, int number) => Fields(message, number).FirstOrDefault() ?? ByteString.Empty;

    private static ulong Varint(ByteString message, int number) => Raw(message).FirstOrDefault(f => f.Number == number).Varint;

    private static string Text(ByteString bytes) => bytes.ToStringUtf8();

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.ToByteArray());

    /// <summary>Every field of one message: its number and its varint, length-delimited or 64-bit value.</summary>
    private static List<(int Number, ulong Varint, ByteString? Bytes, ulong Fixed64)> Raw(ByteString message)
    {
        var fields = new List<(int, ulong, ByteString?, ulong)>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint:
                    fields.Add((number, input.ReadUInt64(), null, 0));
                    break;
                case WireFormat.WireType.LengthDelimited:
                    fields.Add((number, 0, input.ReadBytes(), 0));
                    break;
                case WireFormat.WireType.Fixed64:
                    fields.Add((number, 0, null, input.ReadFixed64()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return fields;
    }
}
