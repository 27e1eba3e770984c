using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using VeloZ.Testing;

namespace VeloZ.FunctionsHost.Tests;

/// <summary>
/// A newcomer following docs/functions-local.md: <c>local.settings.sample.json</c> as shipped is the
/// Functions host's settings, and the <c>curl</c> commands the document shows work against it; and the
/// local try-out the document mentions, authentication off, still serves no other name or web page.
/// </summary>
public sealed partial class LocalSettingsSampleThroughStandInTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("""^\s*curl (?<stream>-N )?(?:-H "(?<header>[^":]+): (?<value>[^"]+)" )?http://localhost:7071(?<path>/\S*)\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex CurlLine();

    private static Dictionary<string, string> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(FunctionsHostStandInOptions.DefaultLocalSettingsFile));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    [Fact]
    public async Task The_documented_curl_commands_work_with_the_sample_settings_as_shipped()
    {
        var commands = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "functions-local.md"))
            .Select(l => CurlLine().Match(l)).Where(m => m.Success).ToList();
        Assert.True(commands.Count >= 3, "docs/functions-local.md shows no curl commands for port 7071");
        var keyed = commands.Where(c => c.Groups["header"].Success).ToList();
        Assert.NotEmpty(keyed);
        // The key the document sends is the one the sample sets.
        Assert.All(keyed, c => Assert.Equal(("X-API-Key", SampleValues()["VELOZ_ADMIN_API_KEY"]), (c.Groups["header"].Value, c.Groups["value"].Value)));

        // The sample's own Values, unchanged, except what only a test run must differ in: this run's Azurite
        // listens on free ports (the sample names Azurite's default ones) and gets a table prefix of its own.
        await using var host = await FunctionsHostStandIn.StartAsync(
            new FunctionsHostStandInOptions
            {
                AppDirectory = await TestApps.VelozFunctionsAsync(),
                LocalSettingsFile = FunctionsHostStandInOptions.DefaultLocalSettingsFile,
                Environment = new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
                },
                Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line),
            },
            Ct);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        foreach (var command in commands)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(command.Groups["path"].Value.TrimStart('/'), UriKind.Relative));
            // curl sends the Host it was given: localhost:7071.
            request.Headers.Host = "localhost:7071";
            if (command.Groups["header"].Success)
            {
                request.Headers.Add(command.Groups["header"].Value, command.Groups["value"].Value);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

            // No worker runs here (the document starts one in step 1), so /health says the gateway cannot trade: 503.
            var expected = command.Groups["path"].Value == "/health" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
            Assert.True(response.StatusCode == expected, $"{command.Value.Trim()} answered {(int)response.StatusCode}: {(command.Groups["stream"].Success ? "" : await response.Content.ReadAsStringAsync(Ct))}");
            Assert.Equal(command.Groups["stream"].Success ? "text/event-stream" : "application/json", response.Content.Headers.ContentType?.MediaType);
        }

        // And, as the document says, nothing but /health without the key.
        using var anonymous = await client.GetAsync(new Uri("api/market", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "realm=\"veloz\""), anonymous.Headers.WwwAuthenticate.Single());
    }

    [Fact]
    public async Task Without_authentication_the_functions_host_serves_only_loopback_names_and_no_other_web_page()
    {
        await using var host = await FunctionsHostStandIn.StartAsync(
            new FunctionsHostStandInOptions
            {
                AppDirectory = await TestApps.VelozFunctionsAsync(),
                Environment = new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
                    ["VELOZ_AUTH_ENABLED"] = "false",
                },
                Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line),
            },
            Ct);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        async Task<HttpStatusCode> GetAsync(string hostHeader, string? origin = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/config", UriKind.Relative));
            // The host passes the client's Host on as X-Forwarded-Host; the worker reads it from there.
            request.Headers.Host = hostHeader;
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync("localhost:7071"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync("attacker.example:7071"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync("localhost:7071", origin: "https://attacker.example"));
    }
}
