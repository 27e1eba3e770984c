using System.Net;
using System.Text.RegularExpressions;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Security;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Hosting;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.OpenApi;

/// <summary>
/// <c>GET /openapi.json</c> and the reference page <c>/docs</c> on the standalone host: open with authentication on,
/// under the same CORS and browser rules as every other path, and the page served whole from the API (no CDN).
/// </summary>
public sealed partial class OpenApiEndpointTests(AzuriteFixture azurite)
{
    private const string AdminKey = "openapi-admin-key-0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GatewayOptions Secured() => TestOptions.OnAzurite(azurite, new GatewayOptions
    {
        Security = new() { AuthEnabled = true, AdminApiKey = new Secret(AdminKey), CorsOrigins = ["https://dashboard.example"] },
    });

    [Fact]
    public async Task The_document_is_served_without_a_key_with_the_cors_headers_of_every_endpoint()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi.json");
        request.Headers.Add("Origin", "https://dashboard.example");

        using var response = await api.Client.SendAsync(request, Ct);
        using var config = await api.Client.GetAsync("/api/config", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(OpenApiDescription.Utf8, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("https://dashboard.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, config.StatusCode);
    }

    [Fact]
    public async Task The_reference_page_and_its_script_come_from_the_api_itself()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());

        using var redirect = await api.Client.GetAsync(ApiProgram.ReferencePagePath, Ct);
        var page = await api.Client.GetStringAsync(ApiProgram.ReferencePagePath + "/", Ct);
        var scripts = ScriptSource().Matches(page).Select(m => m.Groups[1].Value).ToList();

        Assert.True(redirect.IsSuccessStatusCode, $"{ApiProgram.ReferencePagePath} answered {(int)redirect.StatusCode}");
        // The page's script resolves the document's URL against the site's root (/docs/ stripped): /openapi.json.
        Assert.Contains("\"url\":\"openapi.json\"", page, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", page, StringComparison.Ordinal);
        Assert.NotEmpty(scripts);
        Assert.DoesNotContain(scripts, s => s.Contains("//", StringComparison.Ordinal));
        Assert.DoesNotContain("fonts.", page, StringComparison.Ordinal);
        var served = 0L;
        foreach (var script in scripts)
        {
            using var js = await api.Client.GetAsync(new Uri(new Uri(api.Client.BaseAddress!, ApiProgram.ReferencePagePath + "/"), script), Ct);
            Assert.True(js.StatusCode == HttpStatusCode.OK, $"{script} answered {(int)js.StatusCode}");
            Assert.Contains("javascript", js.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
            served += (await js.Content.ReadAsByteArrayAsync(Ct)).Length;
        }

        // The whole reference application (megabytes), not a loader that fetches it from elsewhere.
        Assert.True(served > 1_000_000, $"the page's scripts are {served} bytes");
    }

    [Fact]
    public async Task Without_authentication_the_page_keeps_the_browser_rules_of_every_path()
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite));
        using var request = new HttpRequestMessage(HttpMethod.Get, ApiProgram.ReferencePagePath + "/");
        request.Headers.Host = "gateway.example";
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/openapi.json");
        foreign.Headers.Add("Origin", "https://attacker.example");

        using var rebound = await api.Client.SendAsync(request, Ct);
        using var crossSite = await api.Client.SendAsync(foreign, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, rebound.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
