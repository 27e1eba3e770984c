using System.Text.Json;
using Microsoft.Playwright;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// A real browser: headless Chromium (Debian's <c>chromium</c> package, driven by Playwright) opens
/// <c>new EventSource('/api/stream')</c> on the API's origin and receives market events with their ids.
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class BrowserEndToEndTests(GatewayFixture gateway)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task A_browser_EventSource_receives_market_events(string host)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install chromium; ./scripts/test.sh does it when run as root).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        // EventSource cannot send headers, so its key travels in the URL: only a read-scope key is accepted there.
        using var created = await gateway.Api(host).PostAsync("/api/admin/keys", new StringContent($$"""{"name":"browser {{host}}","scope":"read"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        created.EnsureSuccessStatusCode();
        var readKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("api_key").GetString()!;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(gateway.Api(host).BaseAddress!, "/health").AbsoluteUri);
        var result = await page.EvaluateAsync<JsonElement>(
            """
            key => new Promise((resolve, reject) => {
              const source = new EventSource('/api/stream?access_token=' + encodeURIComponent(key));
              const got = [];
              source.addEventListener('market', e => {
                got.push({ id: e.lastEventId, data: JSON.parse(e.data) });
                if (got.length >= 3) { source.close(); resolve(got); }
              });
              setTimeout(() => { source.close(); reject(new Error('only ' + got.length + ' market events')); }, 20000);
            })
            """,
            readKey);
        var events = result.EnumerateArray().ToList();
        Assert.Equal(3, events.Count);
        var ids = events.Select(e => long.Parse(e.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.All(events, e =>
        {
            Assert.Equal("market", e.GetProperty("data").GetProperty("type").GetString());
            Assert.Equal("BTCUSDT", e.GetProperty("data").GetProperty("symbol").GetString());
        });
    }
}
