using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Tests.OpenApi;

/// <summary>
/// The OpenAPI document of <c>GET /openapi.json</c>: a valid OpenAPI 3.1 document (read back by Microsoft.OpenApi) that
/// describes exactly the function route table, every reference resolving, with the fields the API reads and writes.
/// </summary>
public sealed class OpenApiDocumentTests
{
    internal static ReadResult Read()
    {
        var json = System.Text.Encoding.UTF8.GetString(OpenApiDescription.Utf8);
        return Microsoft.OpenApi.OpenApiDocument.Parse(json, "json");
    }

    /// <summary>Every operation of the document as <c>route verb</c>, route without the leading slash.</summary>
    internal static IReadOnlyList<string> DocumentOperations(Microsoft.OpenApi.OpenApiDocument document) =>
        [.. document.Paths
            .SelectMany(p => p.Value.Operations!.Keys.Select(verb => $"{p.Key.TrimStart('/')} {verb.Method.ToLowerInvariant()}"))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void The_document_reads_back_as_openapi_3_1_without_errors_or_warnings()
    {
        var result = Read();

        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Empty(result.Diagnostic.Warnings);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        Assert.StartsWith("3.1.", JsonNode.Parse(OpenApiDescription.Utf8)!["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(result.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!);
    }

    [Fact]
    public void Every_function_route_and_verb_is_in_the_document_and_no_other()
    {
        var functions = FunctionRouteTable.FromAssembly(typeof(ApiProgram).Assembly)
            // OPTIONS is every function's CORS preflight, answered by the pipeline, not an operation.
            .SelectMany(f => f.Methods.Where(m => m != "options").Select(m => $"{OpenApiDescription.DocumentPath(f.Route).TrimStart('/')} {m}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var described = DocumentOperations(Read().Document!);

        Assert.Equal(functions, described);
    }

    [Fact]
    public void Every_reference_in_the_document_resolves()
    {
        var document = JsonNode.Parse(OpenApiDescription.Utf8)!;
        var references = new List<string>();
        Collect(document, references);

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.StartsWith("#/", reference, StringComparison.Ordinal);
            var node = reference[2..].Split('/').Aggregate((JsonNode?)document, (n, part) => n?[part]);
            Assert.True(node is not null, $"{reference} does not resolve");
        });
    }

    [Fact]
    public void Only_the_health_probes_the_document_itself_and_the_dashboards_files_are_open()
    {
        var document = JsonNode.Parse(OpenApiDescription.Utf8)!;
        var open = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (verb, operation) in item!.AsObject())
            {
                var security = operation!["security"]!.AsArray();
                if (security.Any(requirement => requirement!.AsObject().Count == 0))
                {
                    open.Add(path);
                }
                else
                {
                    // Every other operation takes the key in a header and names the scope it needs.
                    Assert.Contains(security, r => r!["apiKey"] is JsonArray { Count: 1 });
                    Assert.DoesNotContain(operation["responses"]!.AsObject(), r => r.Key == "200" && path != "/api/stream" && r.Value!["content"]?["application/json"] is null);
                }
            }
        }

        Assert.Equal(["/dashboard/{file}", "/health", "/health/live", "/health/ready", "/openapi.json"], open.Order(StringComparer.Ordinal));
        Assert.Equal(["read"], document["paths"]!["/api/stream"]!["get"]!["security"]!.AsArray().Select(r => r!["accessToken"]?[0]?.GetValue<string>()).OfType<string>());
        Assert.Equal("admin", document["paths"]!["/api/admin/cancel_all"]!["post"]!["security"]![0]!["apiKey"]![0]!.GetValue<string>());
        Assert.Equal("trade", document["paths"]!["/api/order"]!["post"]!["security"]![0]!["apiKey"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_stream_is_described_as_server_sent_events_of_every_event_type()
    {
        var document = JsonNode.Parse(OpenApiDescription.Utf8)!;
        var ok = document["paths"]!["/api/stream"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();

        Assert.Equal(["text/event-stream"], ok.Select(c => c.Key));
        Assert.Equal("#/components/schemas/StreamEvent", ok["text/event-stream"]!["x-event-data"]!["$ref"]!.GetValue<string>());
        Assert.Equal(
            ["account", "error", "fill", "market", "order_state", "order_update"],
            document["components"]!["schemas"]!["StreamEvent"]!["discriminator"]!["mapping"]!.AsObject().Select(m => m.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_order_schema_has_exactly_the_fields_an_order_may_have()
    {
        var schema = JsonNode.Parse(OpenApiDescription.Utf8)!["components"]!["schemas"]!["OrderRequest"]!;

        Assert.Equal(OrderValidation.OrderFields.Order(StringComparer.Ordinal), schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Response_schemas_name_the_fields_the_api_writes()
    {
        var schemas = JsonNode.Parse(OpenApiDescription.Utf8)!["components"]!["schemas"]!;
        var state = new OrderStateResponse("a", "BTCUSDT", "BUY", 1m, 2m, "1", "FILLED", null, 1m, 2m, 3)
        {
            OrderType = "MARKET", TimeInForce = "IOC", QuoteOrderQty = 5m, SelfTradePrevention = "NONE",
        };
        var error = new ErrorResponse(false, ApiErrors.DuplicateClientOrderId, "m", "f", -1, "LOT_SIZE", state);

        Assert.Equal(Fields(JsonSerializer.SerializeToNode(state, ApiJsonContext.Default.OrderStateResponse)!), Fields(schemas["OrderState"]!["properties"]!));
        Assert.Equal(Fields(JsonSerializer.SerializeToNode(error, ApiJsonContext.Default.ErrorResponse)!), Fields(schemas["Error"]!["properties"]!));
        Assert.Contains(ApiErrors.CancelOnly, schemas["Error"]!["properties"]!["error"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        // A field the API leaves out when null is not required.
        Assert.Equal(["ok"], schemas["Ping"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("#/components/schemas/OrderState", schemas["OrdersPage"]!["properties"]!["items"]!["items"]!["$ref"]!.GetValue<string>());
    }

    private static IEnumerable<string> Fields(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);

    private static void Collect(JsonNode? node, List<string> references)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "$ref")
                    {
                        references.Add(value!.GetValue<string>());
                    }
                    else
                    {
                        Collect(value, references);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, references);
                }

                break;
        }
    }
}
