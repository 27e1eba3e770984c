using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// The <c>components.schemas</c> of the OpenAPI document. Every response body is exported from the record the API
/// serializes it with (<see cref="ApiJsonContext"/>, through <see cref="JsonSchemaExporter"/>: JSON Schema 2020-12,
/// the dialect of OpenAPI 3.1), so a field added to a response shows in the document without anyone editing it;
/// a record used inside another is a <c>$ref</c> to its own schema. Request bodies and stream events are parsed
/// or written by hand rather than through a record, so their schemas are written here.
/// </summary>
internal static class OpenApiSchemas
{
    /// <summary>The response records by schema name (the record's name without <c>Response</c>).</summary>
    private static readonly Type[] s_responseTypes =
    [
        typeof(HealthResponse), typeof(HealthComponents), typeof(ProbeResponse), typeof(ConfigResponse), typeof(MarketResponse),
        typeof(ErrorResponse), typeof(SymbolsResponse), typeof(SymbolRulesResponse), typeof(PriceFilterResponse), typeof(LotSizeResponse),
        typeof(NotionalResponse), typeof(OrderPlacedResponse), typeof(CancelResponse), typeof(OrderStateResponse), typeof(OrdersStateResponse),
        typeof(OrdersPageResponse), typeof(FillResponse), typeof(FillsResponse), typeof(PingResponse), typeof(AccountResponse),
        typeof(BalanceResponse), typeof(CancelAllResponse), typeof(CancelAllFailure), typeof(TradingModeResponse), typeof(ApiKeyView),
        typeof(ApiKeysResponse), typeof(ApiKeyCreatedResponse), typeof(ApiKeyRevokedResponse), typeof(NegotiateResponse),
    ];

    private const string Decimal = """{"type":"number","description":"An exact decimal (also accepted as a numeric string); never rounded."}""";

    /// <summary>Request bodies (JSON; a form-encoded body with the same fields is accepted too).</summary>
    private static readonly (string Name, string Json)[] s_handWritten =
    [
        ("OrderRequest", """
            {"type":"object","additionalProperties":false,"required":["side","symbol"],
             "description":"A new order. Without `type` it is the seed's LIMIT GTC order. A field the order's type does not have, or any other field, is refused with 400 `bad_params` naming it.",
             "properties":{
              "side":{"type":"string","enum":["BUY","SELL"],"description":"Any case."},
              "symbol":{"type":"string","pattern":"^[\\p{L}\\p{Nd}]{1,20}$","description":"Upper-cased; any symbol the venue lists."},
              "qty":"DECIMAL",
              "quote_qty":"DECIMAL",
              "price":"DECIMAL",
              "client_order_id":{"type":"string","pattern":"^[a-zA-Z0-9-_]{1,36}$","description":"Generated as `vz-…` when absent. The same id never makes two venue orders."},
              "type":{"type":"string","enum":["LIMIT","MARKET","LIMIT_MAKER"],"default":"LIMIT","description":"Any case."},
              "time_in_force":{"type":"string","enum":["GTC","IOC","FOK"],"default":"GTC","description":"LIMIT only."},
              "self_trade_prevention":{"type":"string","enum":["NONE","EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH","DECREMENT"],"description":"Absent: the symbol's default at the venue."}}}
            """),
        ("CancelRequest", """
            {"type":"object","required":["client_order_id"],
             "properties":{"client_order_id":{"type":"string"},"symbol":{"type":"string","description":"Default: the stored order's symbol."}}}
            """),
        ("CreateKeyRequest", """
            {"type":"object","required":["name","scope"],
             "properties":{"name":{"type":"string","pattern":"^[A-Za-z0-9 ._-]{1,64}$"},"scope":{"$ref":"#/components/schemas/Scope"}}}
            """),
        ("RevokeKeyRequest", """
            {"type":"object","required":["key_id"],"properties":{"key_id":{"type":"string","pattern":"^[0-9a-f]{16}$"}}}
            """),
        ("TradingModeRequest", """
            {"type":"object","required":["mode"],"properties":{"mode":{"type":"string","enum":["normal","cancel_only"]}}}
            """),
        ("CancelAllRequest", """
            {"type":"object","description":"Empty, `{}`, or one symbol.","properties":{"symbol":{"type":"string"}}}
            """),
        ("Scope", """{"type":"string","enum":["read","trade","admin"]}"""),
        ("OrderStatus", """{"type":"string","enum":["PENDING","ACCEPTED","PARTIALLY_FILLED","FILLED","CANCELLED","REJECTED","EXPIRED"]}"""),

        // The events of GET /api/stream (SSE `data`) and of GET /api/orders (with their `id`); `type` repeats the event name.
        ("MarketEvent", """
            {"type":"object","required":["type","symbol","price","ts_ns"],
             "properties":{"type":{"const":"market"},"id":{"type":"integer"},"symbol":{"type":"string"},"price":{"type":"number"},"ts_ns":{"type":"integer"}}}
            """),
        ("OrderUpdateEvent", """
            {"type":"object","required":["type","ts_ns","client_order_id","status"],
             "properties":{"type":{"const":"order_update"},"id":{"type":"integer"},"ts_ns":{"type":"integer"},"client_order_id":{"type":"string"},
              "venue_order_id":{"type":["string","null"]},"status":{"$ref":"#/components/schemas/OrderStatus"},"symbol":{"type":["string","null"]},
              "side":{"type":["string","null"]},"qty":{"type":["number","null"]},"price":{"type":["number","null"]},"reason":{"type":["string","null"]},
              "order_type":{"type":"string"},"time_in_force":{"type":"string"},"quote_order_qty":{"type":"number"},"self_trade_prevention":{"type":"string"}}}
            """),
        ("FillEvent", """
            {"type":"object","required":["type","ts_ns","client_order_id","symbol","qty","price"],"description":"One fill (not cumulative).",
             "properties":{"type":{"const":"fill"},"id":{"type":"integer"},"ts_ns":{"type":"integer"},"client_order_id":{"type":"string"},
              "symbol":{"type":"string"},"qty":{"type":"number"},"price":{"type":"number"}}}
            """),
        ("OrderStateEvent", """
            {"allOf":[{"$ref":"#/components/schemas/OrderState"},
             {"type":"object","required":["type"],"properties":{"type":{"const":"order_state"},"id":{"type":"integer"}}}]}
            """),
        ("AccountEvent", """
            {"type":"object","required":["type","ts_ns","balances"],
             "properties":{"type":{"const":"account"},"id":{"type":"integer"},"ts_ns":{"type":"integer"},
              "balances":{"type":"array","items":{"$ref":"#/components/schemas/Balance"}}}}
            """),
        ("ErrorEvent", """
            {"type":"object","required":["type","ts_ns","message"],
             "properties":{"type":{"const":"error"},"id":{"type":"integer"},"ts_ns":{"type":"integer"},
              "message":{"type":"string","description":"e.g. `market_source_error`, `binance_ws_error`."}}}
            """),
        ("StreamEvent", """
            {"oneOf":[{"$ref":"#/components/schemas/MarketEvent"},{"$ref":"#/components/schemas/OrderUpdateEvent"},{"$ref":"#/components/schemas/FillEvent"},
              {"$ref":"#/components/schemas/OrderStateEvent"},{"$ref":"#/components/schemas/AccountEvent"},{"$ref":"#/components/schemas/ErrorEvent"}],
             "discriminator":{"propertyName":"type","mapping":{"market":"#/components/schemas/MarketEvent","order_update":"#/components/schemas/OrderUpdateEvent",
              "fill":"#/components/schemas/FillEvent","order_state":"#/components/schemas/OrderStateEvent","account":"#/components/schemas/AccountEvent",
              "error":"#/components/schemas/ErrorEvent"}}}
            """),
        ("OrderEventsResponse", """
            {"type":"object","required":["items"],"description":"The most recent order events, newest last, at most 200.",
             "properties":{"items":{"type":"array","items":{"oneOf":[{"$ref":"#/components/schemas/OrderUpdateEvent"},{"$ref":"#/components/schemas/FillEvent"},{"$ref":"#/components/schemas/ErrorEvent"}]}}}}
            """),
    ];

    /// <summary>The schema name of a response record: <c>OrderStateResponse</c> → <c>OrderState</c>.</summary>
    public static string NameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Name.EndsWith("Response", StringComparison.Ordinal) ? type.Name[..^"Response".Length] : type.Name;
    }

    /// <summary>A <c>$ref</c> to the schema of <paramref name="type"/>.</summary>
    public static JsonObject Ref(Type type) => Ref(NameOf(type));

    public static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    public static JsonObject Build()
    {
        var options = new JsonSerializerOptions(ApiJsonContext.Default.Options)
        {
            // Non-nullable reference properties are not null on the wire, and constructor parameters are always written.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        var named = s_responseTypes.ToHashSet();
        var schemas = new JsonObject();
        foreach (var type in s_responseTypes)
        {
            var exporter = new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = (context, schema) => context.Path.Length > 0 && named.Contains(context.TypeInfo.Type)
                    ? RefKeepingNull(context.TypeInfo.Type, schema)
                    : context.PropertyInfo is null ? WithoutOmittedFromRequired(context.TypeInfo, schema) : schema,
            };
            schemas[NameOf(type)] = options.GetJsonSchemaAsNode(type, exporter);
        }

        foreach (var (name, json) in s_handWritten)
        {
            schemas[name] = JsonNode.Parse(json.Replace("\"DECIMAL\"", Decimal, StringComparison.Ordinal));
        }

        // The stable error codes, read from the constants the API answers with.
        schemas["Error"]!["properties"]!["error"]!["enum"] = new JsonArray([.. typeof(ApiErrors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => JsonValue.Create((string)f.GetRawConstantValue()!))]);
        schemas["OrderState"]!["properties"]!["status"] = Ref("OrderStatus");
        schemas["ApiKeyView"]!["properties"]!["scope"] = Ref("Scope");
        return schemas;
    }

    /// <summary>A property left out when null (<c>[JsonIgnore(WhenWritingNull)]</c>) is not required, even when its constructor parameter is.</summary>
    private static JsonNode WithoutOmittedFromRequired(JsonTypeInfo type, JsonNode schema)
    {
        if (type.Kind != JsonTypeInfoKind.Object || schema["required"] is not JsonArray required)
        {
            return schema;
        }

        foreach (var property in type.Properties)
        {
            var omitted = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false)
                .Cast<JsonIgnoreAttribute>()
                .Any(a => a.Condition == JsonIgnoreCondition.WhenWritingNull) == true;
            if (omitted && required.FirstOrDefault(r => r?.GetValue<string>() == property.Name) is { } entry)
            {
                required.Remove(entry);
            }
        }

        return schema;
    }

    /// <summary>A nested record as a <c>$ref</c>; a nullable one as <c>$ref</c> or null.</summary>
    private static JsonObject RefKeepingNull(Type type, JsonNode schema) =>
        schema["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null")
            ? new JsonObject { ["anyOf"] = new JsonArray(Ref(type), new JsonObject { ["type"] = "null" }) }
            : Ref(type);
}
