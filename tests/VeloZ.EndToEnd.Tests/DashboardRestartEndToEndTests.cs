using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// The dashboard across a worker restart, on a gateway of its own (authentication off, as <c>run_gateway.sh dev</c>
/// runs it): the page stays open while the worker is killed and started again, its chart goes on updating from the
/// same stream, and an order placed afterwards fills — without a reload. The API ends each stream after 4 s, so the
/// page's stream drops again and again: the browser resumes it with <c>Last-Event-ID</c>, and no event is shown twice.
/// </summary>
public sealed class DashboardRestartEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_open_dashboard_keeps_working_across_a_worker_restart()
    {
        var env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_MARKET_SYMBOL"] = "BTCUSDT",
            // Every stream ends after 4 s: a drop the page must resume from.
            ["VELOZ_STREAM_MAX_SECONDS"] = "4",
        };
        var worker = GatewayProcesses.StartWorker(env);
        await using var killed = worker;
        var (apiProcess, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        await using var _ = apiProcess;
        using var api = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await GatewayProcesses.WaitUntilTradingAsync(api);

        await using var session = await DashboardBrowser.OpenAsync(baseAddress, "/");
        var page = session.Page;
        await session.WaitForStreamAsync();
        await session.WaitForChartAsync(2);
        // Without authentication there is no key to give: the field is not offered.
        Assert.True(await page.Locator("#key-panel").IsHiddenAsync());
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        await page.EvaluateAsync(
            """
            () => {
              const status = document.getElementById('stream-status');
              window.reconnects = 0;
              new MutationObserver(() => { if (status.dataset.state === 'reconnecting') window.reconnects++; })
                .observe(status, { attributes: true, attributeFilter: ['data-state'] });
            }
            """);

        await worker.KillAsync(TimeSpan.FromSeconds(10));
        await using var restarted = GatewayProcesses.StartWorker(env);
        await GatewayProcesses.WaitUntilTradingAsync(api);

        var points = await session.ChartPointsAsync();
        await session.WaitForChartAsync(points + 2, 60_000);
        var market = $"dash-restart-{Guid.NewGuid():N}"[..36];
        await page.Locator("#order-type").SelectOptionAsync("MARKET");
        await page.Locator("#order-qty").FillAsync("0.001");
        await page.Locator("#order-coid").FillAsync(market);
        await page.Locator("#place-order").ClickAsync();
        await page.Locator($"#history tbody tr[data-client-order-id='{market}'] td.status").Filter(new() { HasText = "FILLED" }).WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator($"#fills tbody tr[data-client-order-id='{market}']").First.WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        await session.ScreenshotAsync("dashboard-after-worker-restart");

        // The stream dropped and resumed several times; every event reached the page once, the order's among them.
        Assert.True(await page.EvaluateAsync<int>("() => window.reconnects") >= 2, "the stream was not resumed");
        var logged = await page.Locator("#event-log .event-type").AllTextContentsAsync();
        var ids = logged.Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var order = await page.Locator("#event-log li").Filter(new() { HasText = market }).AllTextContentsAsync();
        Assert.Contains(order, l => l.Contains(" fill ", StringComparison.Ordinal));
        Assert.Empty(session.Problems);
    }
}
