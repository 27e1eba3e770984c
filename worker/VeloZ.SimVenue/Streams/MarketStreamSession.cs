using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Streams;

/// <summary>
/// A market stream connection (Binance's web-socket-streams.md): raw <c>/ws/&lt;stream&gt;</c> or combined <c>/stream?streams=a/b</c>
/// (payloads wrapped as <c>{"stream":…,"data":…}</c>), with the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS /
/// SET_PROPERTY / GET_PROPERTY control messages and the 5 incoming messages per second limit.
/// Streams: <c>&lt;symbol&gt;@trade</c>, <c>@bookTicker</c>, <c>@miniTicker</c> (lowercase symbol).
/// </summary>
internal sealed class MarketStreamSession : WsSession
{
    private const int MaxIncomingPerSecond = 5;
    private const int MaxStreams = 1024;
    private static readonly string[] s_streamTypes = ["trade", "bookTicker", "miniTicker"];

    private readonly Lock _gate = new();
    private readonly HashSet<string> _streams = new(StringComparer.Ordinal);
    private volatile bool _combined;
    private long _windowSecond = long.MinValue;
    private int _windowCount;

    private MarketStreamSession(VenueRuntime runtime, WsConnection connection, bool combined, IEnumerable<string> streams)
        : base(runtime, connection)
    {
        _combined = combined;
        foreach (var stream in streams)
        {
            _streams.Add(stream);
        }
    }

    protected override string Kind => "market stream";

    /// <summary>Handles <c>/ws</c>, <c>/ws/…</c> and <c>/stream</c>; answers 400 for unknown stream names.</summary>
    public static async Task AcceptAsync(VenueRuntime runtime, HttpContext context, CancellationToken stopping)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var combined = path == "/stream";
        var names = combined
            ? context.Request.Query["streams"].ToString()
            : path.Length > 4 ? path[4..] : string.Empty;
        var streams = names.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var invalid = streams.FirstOrDefault(s => !IsValidStream(runtime, s));
        if (invalid is not null || streams.Length > MaxStreams || !WsConnection.IsWebSocketRequest(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json;charset=UTF-8";
            var message = invalid is not null ? $"Invalid request: unknown stream '{invalid}'" : "Invalid request: expected a WebSocket upgrade";
            await context.Response.WriteAsync(Wire.Json(new JsonObject { ["code"] = 2, ["msg"] = message }), context.RequestAborted);
            return;
        }

        var connection = await WsConnection.AcceptAsync(context);
        var session = new MarketStreamSession(runtime, connection, combined, streams);
        await session.RunAsync(stopping);
    }

    public static bool IsValidStream(VenueRuntime runtime, string stream)
    {
        var at = stream.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return false;
        }

        var symbol = stream[..at];
        var type = stream[(at + 1)..];
        return s_streamTypes.Contains(type, StringComparer.Ordinal)
            && runtime.Engine.Symbols.Any(s => s.StreamName == symbol);
    }

    public void Deliver(string stream, string json) =>
        Enqueue(_combined ? $"{{\"stream\":\"{stream}\",\"data\":{json}}}" : json);

    public override void AnnounceShutdown()
    {
        var payload = $"{{\"e\":\"serverShutdown\",\"E\":{Runtime.Clock.NowMs}}}";
        Enqueue(_combined ? $"{{\"stream\":\"!serverShutdown\",\"data\":{payload}}}" : payload);
    }

    protected override void OnOpened()
    {
        lock (_gate)
        {
            foreach (var stream in _streams)
            {
                Runtime.MarketHub.Subscribe(stream, this);
            }
        }
    }

    protected override void OnClosed()
    {
        lock (_gate)
        {
            foreach (var stream in _streams)
            {
                Runtime.MarketHub.Unsubscribe(stream, this);
            }
        }
    }

    protected override void OnFrameReceived()
    {
        var second = Runtime.Clock.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        bool over;
        lock (_gate)
        {
            if (second != _windowSecond)
            {
                _windowSecond = second;
                _windowCount = 0;
            }

            over = ++_windowCount > MaxIncomingPerSecond;
        }

        if (over)
        {
            Log.TooManyMessages(Runtime.Logger, Id);
            _ = CloseNowAsync(1008, "Too many messages");
        }
    }

    protected override void OnText(string text)
    {
        JsonNode? id = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Reply(Error(2, "Invalid request: request must be an object", null));
                return;
            }

            if (root.TryGetProperty("id", out var idElement))
            {
                if (!IsValidId(idElement))
                {
                    Reply(Error(2, "Invalid request: invalid 'id'", null));
                    return;
                }

                id = JsonNode.Parse(idElement.GetRawText());
            }

            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray().ToList() : [];
            Reply(method switch
            {
                "SUBSCRIBE" => ChangeSubscriptions(parameters, id, subscribe: true),
                "UNSUBSCRIBE" => ChangeSubscriptions(parameters, id, subscribe: false),
                "LIST_SUBSCRIPTIONS" => Result(ListSubscriptions(), id),
                "SET_PROPERTY" => SetProperty(parameters, id),
                "GET_PROPERTY" => GetProperty(parameters, id),
                _ => Error(2, "Invalid request: unknown method", id),
            });
        }
        catch (JsonException exception)
        {
            Reply(Error(3, $"Invalid JSON: {exception.Message}", null));
        }
    }

    private static bool IsValidId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Number => id.TryGetInt64(out _),
        JsonValueKind.String => id.GetString() is { Length: <= 36 } s && s.All(char.IsAsciiLetterOrDigit),
        _ => false,
    };

    private JsonObject ChangeSubscriptions(List<JsonElement> parameters, JsonNode? id, bool subscribe)
    {
        var names = new List<string>();
        foreach (var parameter in parameters)
        {
            if (parameter.ValueKind != JsonValueKind.String || parameter.GetString() is not { } name || !IsValidStream(Runtime, name))
            {
                return Error(2, $"Invalid request: unknown stream {parameter.GetRawText()}", id);
            }

            names.Add(name);
        }

        lock (_gate)
        {
            if (subscribe && _streams.Union(names).Count() > MaxStreams)
            {
                return Error(2, $"Invalid request: more than {MaxStreams} streams", id);
            }

            foreach (var name in names)
            {
                if (subscribe && _streams.Add(name))
                {
                    Runtime.MarketHub.Subscribe(name, this);
                }
                else if (!subscribe && _streams.Remove(name))
                {
                    Runtime.MarketHub.Unsubscribe(name, this);
                }
            }
        }

        return Result(null, id);
    }

    private JsonArray ListSubscriptions()
    {
        lock (_gate)
        {
            return new JsonArray(_streams.Order(StringComparer.Ordinal).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        }
    }

    private JsonObject SetProperty(List<JsonElement> parameters, JsonNode? id)
    {
        if (parameters.Count != 2 || parameters[0].ValueKind != JsonValueKind.String)
        {
            return Error(2, "Invalid request: SET_PROPERTY expects [name, value]", id);
        }

        if (parameters[0].GetString() != "combined")
        {
            return Error(0, "Unknown property", id);
        }

        if (parameters[1].ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Error(1, "Invalid value type: expected Boolean", id);
        }

        _combined = parameters[1].GetBoolean();
        return Result(null, id);
    }

    private JsonObject GetProperty(List<JsonElement> parameters, JsonNode? id)
    {
        if (parameters.Count != 1 || parameters[0].ValueKind != JsonValueKind.String)
        {
            return Error(2, "Invalid request: GET_PROPERTY expects [name]", id);
        }

        return parameters[0].GetString() == "combined" ? Result(_combined, id) : Error(0, "Unknown property", id);
    }

    private static JsonObject Result(JsonNode? result, JsonNode? id) => new() { ["result"] = result, ["id"] = id };

    private static JsonObject Error(int code, string message, JsonNode? id) => new() { ["code"] = code, ["msg"] = message, ["id"] = id };

    private void Reply(JsonObject message) => Enqueue(Wire.Json(message));
}
