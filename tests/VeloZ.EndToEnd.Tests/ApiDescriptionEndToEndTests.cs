using System.Net;
using System.Text.Json;
using VeloZ.Client;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// <c>GET /openapi.json</c> under both hosts: the same OpenAPI 3.1 document, read without a key, naming every function
/// route of the host's <c>functions.metadata</c>; the reference page <c>/docs</c> on the standalone host only.
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class ApiDescriptionEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Each_host_serves_the_document_of_its_own_routes_without_a_key(string host)
    {
        using var anonymous = gateway.Anonymous(host);
        var answer = await new VeloZClient(anonymous).GetOpenApiDocumentAsync(Ct);
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(gateway.AppDirectory(host), "functions.metadata"), Ct));
        var routes = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            // A catch-all segment ({*file}) is an ordinary path parameter ({file}) in OpenAPI.
            .Select(b => "/" + b.GetProperty("route").GetString()!.Replace("{*", "{", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var document = answer.EnsureSuccess();

        Assert.StartsWith("3.1.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(routes, document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_reference_page_is_served_by_the_standalone_host_only(string host)
    {
        using var page = await gateway.Api(host).GetAsync("/docs/", Ct);

        Assert.Equal(host == ApiHosts.Standalone ? HttpStatusCode.OK : HttpStatusCode.NotFound, page.StatusCode);
    }
}
