using System.Net;
using System.Text.Json;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Http;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>
/// The dashboard's files are served from the API's assembly at <c>/dashboard/</c>: each with its content type and a
/// self-only Content-Security-Policy, the bytes of the files in the repository, open with authentication on, and
/// nothing else — an unknown name or a path that tries to leave the set is the contract's 404.
/// </summary>
public sealed class DashboardServingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SourceDirectory => Path.Combine(RepositoryPaths.Root, "functions", "VeloZ.Functions", "Dashboard", "wwwroot");

    public static TheoryData<string, string, string> Files => new()
    {
        { "/dashboard/", "index.html", "text/html; charset=utf-8" },
        { "/dashboard/index.html", "index.html", "text/html; charset=utf-8" },
        { "/dashboard/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8" },
        { "/dashboard/chart.js", "chart.js", "text/javascript; charset=utf-8" },
        { "/dashboard/dashboard.css", "dashboard.css", "text/css; charset=utf-8" },
        { "/dashboard/icon.svg", "icon.svg", "image/svg+xml" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_file_is_served_with_its_type_the_repository_bytes_and_the_page_headers(string path, string file, string contentType)
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite));

        using var response = await api.Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(SourceDirectory, file), Ct), await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(DashboardFileResult.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public void Every_file_in_the_dashboard_directory_is_embedded_and_nothing_else()
    {
        var onDisk = Directory.EnumerateFiles(SourceDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(onDisk, new DashboardAssets().Names.Order(StringComparer.Ordinal));
        Assert.Equal(onDisk, Files.Select(row => row.Data.Item2).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/dashboard/missing.js")]
    [InlineData("/dashboard/../host.json")]
    [InlineData("/dashboard/..%2Fhost.json")]
    [InlineData("/dashboard/%2E%2E/%2E%2E/host.json")]
    [InlineData("/dashboard/..%5Chost.json")]
    [InlineData("/dashboard/wwwroot/index.html")]
    [InlineData("/dashboard/INDEX.HTML")]
    [InlineData("/dashboard/VeloZ.Functions.dll")]
    [InlineData("/dashboard//etc/passwd")]
    public async Task An_unknown_file_or_a_path_out_of_the_dashboard_is_the_contracts_404(string path)
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite));

        using var response = await api.Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(ApiErrors.NotFound, body.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard")]
    public async Task The_site_root_and_the_path_without_its_slash_redirect_to_the_page(string path)
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Client.BaseAddress };

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/dashboard/", new Uri(new Uri(client.BaseAddress!, path), response.Headers.Location!).AbsolutePath);
        Assert.Equal(DashboardFileResult.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task A_revalidation_with_the_files_etag_is_answered_304_without_a_body()
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite));
        using var first = await api.Client.GetAsync("/dashboard/dashboard.js", Ct);
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/dashboard.js");
        request.Headers.IfNoneMatch.Add(etag);
        using var again = await api.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("no-cache", first.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task With_authentication_on_the_page_needs_no_key_but_the_data_does()
    {
        var options = TestOptions.OnAzurite(azurite, new GatewayOptions { Security = new() { AuthEnabled = true, AdminApiKey = new Secret("dashboard-admin-" + Guid.NewGuid().ToString("N")) } });
        await using var api = await StandaloneApi.StartAsync(options);

        using var page = await api.Client.GetAsync("/dashboard/", Ct);
        using var config = await api.Client.GetAsync("/api/config", Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, config.StatusCode);
    }

    [Fact]
    public async Task A_posted_file_request_is_refused_as_an_unknown_verb()
    {
        await using var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite));

        using var response = await api.Client.PostAsync("/dashboard/index.html", new StringContent("x"), Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
