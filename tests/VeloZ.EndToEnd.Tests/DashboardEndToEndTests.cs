using System.Text.Json;
using Microsoft.Playwright;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium driven by Playwright) against the real processes, under both
/// hosts: the page at <c>/</c> asks for a key, streams prices into its chart, places an order that rests, cancels
/// it, fills a MARKET order (with its fee), shows the API's own words for a refused order, the admin brake and
/// cancel-all.
/// Screenshots go to <c>artifacts/screenshots/</c>.
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class DashboardEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_dashboard_streams_prices_places_cancels_and_fills_orders(string host)
    {
        var readKey = await CreateKeyAsync(gateway.Api(host), $"dashboard read {host}", "read");
        // Standalone the site's root leads to the page; under the Functions host the root is the host's own.
        await using var session = await DashboardBrowser.OpenAsync(gateway.Api(host).BaseAddress!, host == ApiHosts.Functions ? "/dashboard/" : "/");
        var page = session.Page;

        // Authentication is on: the page asks for a key; the stream takes the read key in its URL.
        await page.Locator("#key-panel").WaitForAsync();
        await page.Locator("#api-key").FillAsync(gateway.AdminKey);
        await page.Locator("#stream-key").FillAsync(readKey);
        await page.Locator("#key-form button[type=submit]").ClickAsync();
        Assert.Equal(gateway.AdminKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('veloz.api_key')"));

        await session.WaitForStreamAsync();
        var points = await session.ChartPointsAsync();
        await session.WaitForChartAsync(points + 2);
        Assert.Matches("^[0-9]+(\\.[0-9]+)?$", await page.Locator("#last-price").TextContentAsync());
        await page.Locator("#gateway-state dd[data-item='Execution mode']").Filter(new() { HasText = "sim_engine" }).WaitForAsync();
        await page.Locator("#rules").Filter(new() { HasText = "tick 0.01" }).WaitForAsync();
        await page.Locator("#balances tbody tr[data-asset]").First.WaitForAsync();

        // A LIMIT BUY far below the market rests; entered from the keyboard alone (Enter submits the form).
        var resting = $"dash-rest-{host}-{Guid.NewGuid():N}"[..36];
        await page.Locator("#order-type").SelectOptionAsync("LIMIT");
        await page.Locator("#order-qty").FillAsync("0.001");
        await page.Locator("#order-coid").FillAsync(resting);
        await page.Locator("#order-price").FillAsync("30000");
        await page.Locator("#order-price").PressAsync("Enter");
        await page.Locator("#order-result[data-outcome='ok']").Filter(new() { HasText = resting }).WaitForAsync();
        var open = page.Locator($"#open-orders tbody tr[data-client-order-id='{resting}']");
        await open.Locator("td.status").Filter(new() { HasText = "ACCEPTED" }).WaitForAsync();
        await session.ScreenshotAsync($"dashboard-{host}-resting");

        await open.GetByRole(AriaRole.Button, new() { Name = $"Cancel {resting}" }).ClickAsync();
        await open.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.Locator($"#history tbody tr[data-client-order-id='{resting}'] td.status").Filter(new() { HasText = "CANCELLED" }).WaitForAsync();

        // A MARKET BUY takes the simulated book at once: the fill shows with its fee.
        var market = $"dash-mkt-{host}-{Guid.NewGuid():N}"[..36];
        await page.Locator("#order-type").SelectOptionAsync("MARKET");
        Assert.True(await page.Locator("#order-price").IsHiddenAsync(), "a MARKET order offers no price");
        await page.Locator("#order-qty").FillAsync("0.001");
        await page.Locator("#order-coid").FillAsync(market);
        await page.Locator("#place-order").ClickAsync();
        await page.Locator($"#history tbody tr[data-client-order-id='{market}'] td.status").Filter(new() { HasText = "FILLED" }).WaitForAsync();
        // After orders the gateway state shows the venue's rate-limit usage (from /health, refreshed every 5 s).
        await page.Locator("#gateway-state dd[data-item='Venue rate limit']").Filter(new() { HasText = "orders in 10 s" }).WaitForAsync(new() { Timeout = 15_000 });
        var fill = page.Locator($"#fills tbody tr[data-client-order-id='{market}']").First;
        await fill.WaitForAsync();
        var fills = await OrderWalkthrough.GetAsync(gateway.Api(host), $"/api/fills?client_order_id={market}");
        var stored = fills.GetProperty("items")[0];
        Assert.Contains(stored.GetProperty("price").GetRawText(), await fill.TextContentAsync(), StringComparison.Ordinal);
        await page.Locator("#event-type").SelectOptionAsync("fill");
        await page.Locator("#event-log li[data-type='fill']").Filter(new() { HasText = market }).WaitForAsync();
        await page.Locator("#event-type").SelectOptionAsync("-market");

        // A price off the tick is refused before it leaves, in the API's own words.
        await page.Locator("#order-type").SelectOptionAsync("LIMIT");
        await page.Locator("#order-qty").FillAsync("0.001");
        await page.Locator("#order-price").FillAsync("30000.001");
        await page.Locator("#place-order").ClickAsync();
        await page.Locator("#order-result[data-outcome='error']").Filter(new() { HasText = "filter_violation" }).WaitForAsync();

        // The admin brake: in cancel-only the order is refused with the API's words, then trading resumes.
        await page.Locator("#admin-controls").WaitForAsync();
        try
        {
            await page.Locator("#mode-cancel-only").ClickAsync();
            await page.Locator("#admin-result").Filter(new() { HasText = "cancel_only" }).WaitForAsync();
            await page.Locator("#order-price").FillAsync("30000");
            await page.Locator("#place-order").ClickAsync();
            await page.Locator("#order-result[data-outcome='error']").Filter(new() { HasText = "cancel_only" }).WaitForAsync();
        }
        finally
        {
            await OrderWalkthrough.PostAsync(gateway.Api(host), "/api/admin/trading_mode", """{"mode":"normal"}""");
        }

        await page.Locator("#mode-normal").ClickAsync();
        await page.Locator("#admin-result").Filter(new() { HasText = "Trading mode: normal" }).WaitForAsync();

        // Cancel all (after the page's confirmation) takes a resting order off the book.
        var swept = $"dash-all-{host}-{Guid.NewGuid():N}"[..36];
        await page.Locator("#order-coid").FillAsync(swept);
        await page.Locator("#place-order").ClickAsync();
        var sweptRow = page.Locator($"#open-orders tbody tr[data-client-order-id='{swept}']");
        await sweptRow.WaitForAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#cancel-all").ClickAsync();
        await page.Locator("#admin-result[data-outcome='ok']").Filter(new() { HasText = "Requested" }).WaitForAsync();
        await sweptRow.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.Locator($"#history tbody tr[data-client-order-id='{swept}'] td.status").Filter(new() { HasText = "CANCELLED" }).WaitForAsync();
        await session.WaitForChartAsync(await session.ChartPointsAsync() + 1);
        await session.ScreenshotAsync($"dashboard-{host}");
        Assert.Empty(session.Problems);
    }

    [Fact]
    public async Task The_dashboard_is_readable_on_a_phone()
    {
        var host = ApiHosts.Enabled[0];
        var readKey = await CreateKeyAsync(gateway.Api(host), "dashboard phone", "read");
        await using var session = await DashboardBrowser.OpenAsync(gateway.Api(host).BaseAddress!, "/dashboard", new ViewportSize { Width = 390, Height = 844 });
        var page = session.Page;
        await page.Locator("#api-key").FillAsync(readKey);
        await page.Locator("#key-form button[type=submit]").ClickAsync();
        await session.WaitForStreamAsync();
        await session.WaitForChartAsync(2);

        // Nothing is wider than the screen: wide tables scroll inside their panel.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var wide = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement && e.parentElement.closest('.scroll'))).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the phone's screen: {string.Join(", ", wide)}");
        // A read key sees everything but cannot use the admin brake, which stays hidden.
        Assert.True(await page.Locator("#admin-controls").IsHiddenAsync());
        await session.ScreenshotAsync("dashboard-phone");
        Assert.Empty(session.Problems);
    }

    [Fact]
    public async Task Both_hosts_serve_the_same_dashboard_bytes()
    {
        if (ApiHosts.Enabled.Count < 2)
        {
            Assert.Skip("VELOZ_TEST_HOST runs one host only");
        }

        foreach (var file in new[] { "", "index.html", "dashboard.js", "chart.js", "dashboard.css", "icon.svg" })
        {
            var bodies = new List<byte[]>();
            foreach (var host in ApiHosts.Enabled)
            {
                using var anonymous = gateway.Anonymous(host);
                using var response = await anonymous.GetAsync("/dashboard/" + file, Ct);
                Assert.True(response.IsSuccessStatusCode, $"{host} answered {(int)response.StatusCode} for /dashboard/{file}");
                Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
                bodies.Add(await response.Content.ReadAsByteArrayAsync(Ct));
            }

            Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        }
    }

    internal static async Task<string> CreateKeyAsync(HttpClient admin, string name, string scope)
    {
        var (status, body) = await OrderWalkthrough.PostAsync(admin, "/api/admin/keys", $$"""{"name":"{{name}}","scope":"{{scope}}"}""");
        Assert.True(status == System.Net.HttpStatusCode.OK, $"creating a key answered {(int)status}: {body}");
        return body.GetProperty("api_key").GetString()!;
    }
}

/// <summary>
/// Headless Chromium on the dashboard (opened at <c>/</c> or <c>/dashboard</c>, both lead to <c>/dashboard/</c>), recording what would make a user
/// doubt it: console errors, failed page loads, a Content-Security-Policy violation.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Console errors and page errors seen so far (a refused stream reconnect is the page's own words, not an error).</summary>
    public List<string> Problems { get; } = [];

    public static string ScreenshotDirectory => Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    public static async Task<DashboardBrowser> OpenAsync(Uri baseAddress, string path, ViewportSize? viewport = null)
    {
        Assert.True(File.Exists(BrowserEndToEndTests.ChromiumPath), $"{BrowserEndToEndTests.ChromiumPath} is missing: install Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserEndToEndTests.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var session = new DashboardBrowser(playwright, browser, page);
        page.Console += (_, message) =>
        {
            // The browser logs each failed request of the page (a 401 before the key is given, a refused
            // stream); those are answers the page shows in its own words. Anything else is a fault.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                session.Problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => session.Problems.Add(error);
        var response = await page.GotoAsync(new Uri(baseAddress, path).AbsoluteUri);
        Assert.NotNull(response);
        Assert.EndsWith("/dashboard/", page.Url, StringComparison.Ordinal);
        return session;
    }

    public Task WaitForStreamAsync() => Page.Locator("#stream-status[data-state='open']").WaitForAsync(new() { Timeout = 30_000 });

    public async Task<int> ChartPointsAsync() => int.Parse(await Page.Locator("#price-chart").GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the chart holds at least <paramref name="points"/> prices.</summary>
    public Task WaitForChartAsync(int points, float timeoutMs = 30_000) =>
        Page.WaitForFunctionAsync("n => Number(document.getElementById('price-chart').dataset.points) >= n", points, new() { Timeout = timeoutMs });

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
