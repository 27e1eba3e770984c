using System.Diagnostics;
using System.Net;
using VeloZ.Testing;

namespace VeloZ.FunctionsHost.Tests;

/// <summary>Start-up failures, crashes and shutdown: each a clear outcome within seconds, never a hang.</summary>
public sealed class WorkerLifecycleTests
{
    [Fact]
    public async Task Worker_crash_during_a_request_is_a_prompt_failure_with_its_last_log_lines()
    {
        await using var host = await FunctionsHostStandIn.StartAsync(TestApps.OptionsFor(await TestApps.TestAppAsync()), TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.GetTimestamp();

        using var response = await client.GetAsync(new Uri("testapi/crash", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(15), $"The crash took {Stopwatch.GetElapsedTime(started)} to report.");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.NotNull(host.WorkerExitCode);
        Assert.NotEqual(0, host.WorkerExitCode);
        Assert.Contains($"exited with code {host.WorkerExitCode}", body, StringComparison.Ordinal);
        Assert.Contains("Crash function about to bring the worker down", body, StringComparison.Ordinal);
        Assert.Contains("Deliberate crash for the stand-in tests.", body, StringComparison.Ordinal);

        // Once the worker is gone every request fails at once, saying why.
        using var next = await client.GetAsync(new Uri("testapi/echo/1", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
        Assert.Contains($"exited with code {host.WorkerExitCode}", await next.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_that_exits_at_start_up_is_a_clear_failure_with_its_exit_code_and_output()
    {
        var app = await TestApps.VelozFunctionsAsync();
        var environment = new Dictionary<string, string?> { ["VELOZ_MARKET_SOURCE"] = "carrier-pigeon" };
        var started = Stopwatch.GetTimestamp();

        var failure = await Assert.ThrowsAsync<FunctionsHostStandInException>(
            () => FunctionsHostStandIn.StartAsync(TestApps.OptionsFor(app, environment), TestContext.Current.CancellationToken));

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30));
        Assert.Equal(2, failure.ExitCode);
        Assert.Contains("exited with code 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("VELOZ_MARKET_SOURCE", failure.Message, StringComparison.Ordinal);
        Assert.Contains(failure.WorkerLogTail, l => l.Contains("carrier-pigeon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handshake_that_does_not_finish_in_time_is_a_clear_failure()
    {
        var app = await TestApps.TestAppAsync();

        var failure = await Assert.ThrowsAsync<FunctionsHostStandInException>(
            () => FunctionsHostStandIn.StartAsync(TestApps.OptionsFor(app, startupTimeout: TimeSpan.FromMilliseconds(50)), TestContext.Current.CancellationToken));

        Assert.Contains("did not complete within 0.05 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Last worker log lines:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_that_is_not_a_publish_output_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("veloz-not-published-");
        try
        {
            var failure = await Assert.ThrowsAsync<FunctionsHostStandInException>(
                () => FunctionsHostStandIn.StartAsync(TestApps.OptionsFor(folder.FullName), TestContext.Current.CancellationToken));

            Assert.Contains("is not a published function app", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dispose_terminates_the_worker_through_the_protocol()
    {
        var host = await FunctionsHostStandIn.StartAsync(TestApps.OptionsFor(await TestApps.TestAppAsync()), TestContext.Current.CancellationToken);

        await host.DisposeAsync();

        Assert.Equal(0, host.WorkerExitCode);
        Assert.DoesNotContain(host.WorkerLogs, l => l.Contains("killing it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Local_settings_values_are_the_base_and_the_callers_settings_win()
    {
        var settings = Path.Combine(Directory.CreateTempSubdirectory("veloz-settings-").FullName, "local.settings.json");
        await File.WriteAllTextAsync(settings, """
            {
              "IsEncrypted": false,
              "Values": {
                "VELOZ_MARKET_SYMBOL": "SOLUSDT",
                "VELOZ_CORS_ORIGINS": "http://from-settings.test"
              }
            }
            """, TestContext.Current.CancellationToken);
        try
        {
            await using var host = await FunctionsHostStandIn.StartAsync(
                new FunctionsHostStandInOptions
                {
                    AppDirectory = await TestApps.VelozFunctionsAsync(),
                    LocalSettingsFile = settings,
                    Environment = new Dictionary<string, string?>
                    {
                        ["AzureWebJobsStorage"] = Ports.UnreachableStorageConnectionString(),
                        ["VELOZ_MARKET_SYMBOL"] = "ETHUSDT",
                        ["VELOZ_ADMIN_API_KEY"] = VelozFunctionsFixture.AdminKey,
                    },
                    Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line),
                },
                TestContext.Current.CancellationToken);
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/config", UriKind.Relative));
            request.Headers.Add("Origin", "http://from-settings.test");
            request.Headers.Add("X-API-Key", VelozFunctionsFixture.AdminKey);

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Contains("\"market_symbol\":\"ETHUSDT\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.Equal("http://from-settings.test", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(settings)!, recursive: true);
        }
    }
}
