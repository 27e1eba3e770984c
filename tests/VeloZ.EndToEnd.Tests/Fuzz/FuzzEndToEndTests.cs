using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VeloZ.FunctionsHost;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests.Fuzz;

/// <summary>
/// Thousands of bad and odd requests (<see cref="BadRequestGenerator"/>, fixed seeds) against a real API
/// process trading on a simulated venue in <c>binance_testnet_spot</c> mode, with authentication on: not one
/// answer may be a 5xx, every JSON answer must be valid JSON, and nothing may reach the venue except the
/// connectivity pings that answered <c>{"ok":true}</c> — the venue's own counters are the proof. The full
/// volume runs against the standalone API; a smaller sample against the published app behind the Functions
/// host stand-in.
/// </summary>
public sealed class FuzzEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int StandaloneCount = 10_000;
    private const int FunctionsCount = 1_000;
    private const int Parallelism = 8;

    private readonly string _adminKey = "fuzz-admin-" + Guid.NewGuid().ToString("N");
    private SimVenueHandle _venue = null!;
    private Dictionary<string, string?> _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, Ct);
        _env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_EXECUTION_MODE"] = "binance_testnet_spot",
            ["VELOZ_BINANCE_TRADE_BASE_URL"] = _venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_API_KEY"] = SimApiKey.VeloZTestApiKey,
            ["VELOZ_BINANCE_API_SECRET"] = SimApiKey.VeloZTestSecretKey,
            ["VELOZ_AUTH_ENABLED"] = "true",
            ["VELOZ_ADMIN_API_KEY"] = _adminKey,
            // The fuzz is about what each request does, not about the limits (tested on their own).
            ["VELOZ_RATE_LIMIT_PER_SECOND"] = "1000000",
            ["VELOZ_RATE_LIMIT_BURST"] = "1000000",
            ["VELOZ_AUTH_FAILURES_PER_MINUTE"] = "0",
        };
    }

    public async ValueTask DisposeAsync() => await _venue.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_bad_requests_to_the_standalone_api_get_no_5xx_and_reach_no_venue()
    {
        if (!ApiHosts.Enabled.Contains(ApiHosts.Standalone))
        {
            Assert.Skip("VELOZ_TEST_HOST excludes the standalone host.");
        }

        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(_env);
        await using var _ = api;
        var report = await FuzzAsync(baseAddress, seed: 20261127, StandaloneCount);

        AssertClean(report, api.Output);
    }

    [Fact]
    public async Task A_thousand_bad_requests_through_the_functions_host_get_no_5xx_and_reach_no_venue()
    {
        if (!ApiHosts.Enabled.Contains(ApiHosts.Functions))
        {
            Assert.Skip("VELOZ_TEST_HOST excludes the functions host.");
        }

        await using var standIn = await FunctionsHostStandIn.StartAsync(new FunctionsHostStandInOptions { AppDirectory = await FunctionsAppPublisher.GetVelozFunctionsAsync(cancellationToken: Ct), Environment = _env }, Ct);
        var report = await FuzzAsync(standIn.BaseAddress, seed: 20261128, FunctionsCount);

        AssertClean(report, standIn.DescribeRecentWorkerLogs(60));
    }

    private void AssertClean(FuzzReport report, string serverOutput)
    {
        var summary = string.Join(", ", report.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{report.Sent} requests in {report.Elapsed.TotalSeconds:0.0} s; statuses {summary}; transport errors on oversized bodies: {report.OversizedTransportErrors}");
        Assert.True(report.Failures.IsEmpty, $"{report.Failures.Count} bad answer(s), e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, report.Failures.Take(10))}{Environment.NewLine}Server output (tail):{Environment.NewLine}{Tail(serverOutput)}");
        Assert.DoesNotContain(report.Statuses.Keys, s => s >= 500);
        Assert.Equal(0, _venue.Counters.OrdersReceived);
        Assert.Equal(0, _venue.Counters.CancelsReceived);
        Assert.Equal(report.SuccessfulPings, _venue.Counters.RestRequests);
        Assert.True(report.Statuses.GetValueOrDefault(400) > report.Sent / 4, $"too few requests reached validation: {summary}");
    }

    private async Task<FuzzReport> FuzzAsync(Uri baseAddress, int seed, int count)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = Parallelism })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var trade = await CreateKeyAsync(http, "trade");
        var read = await CreateKeyAsync(http, "read");
        var report = new FuzzReport();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            new BadRequestGenerator(seed).Generate(count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct },
            async (request, token) => await SendAsync(http, request, trade, read, report, token));
        report.Elapsed = Stopwatch.GetElapsedTime(started);
        report.Sent = count;
        return report;
    }

    private async Task<string> CreateKeyAsync(HttpClient http, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/keys") { Content = new StringContent($$"""{"name":"fuzz {{scope}}","scope":"{{scope}}"}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", _adminKey);
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("api_key").GetString()!;
    }

    private async Task SendAsync(HttpClient http, FuzzRequest fuzz, string trade, string read, FuzzReport report, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), new Uri(fuzz.Target, UriKind.Relative));
        switch (fuzz.Credential)
        {
            case FuzzCredential.Admin:
                request.Headers.Add("X-API-Key", _adminKey);
                break;
            case FuzzCredential.Trade:
                request.Headers.Add("X-API-Key", trade);
                break;
            case FuzzCredential.Read:
                request.Headers.Add("X-API-Key", read);
                break;
            case FuzzCredential.Garbage:
                request.Headers.TryAddWithoutValidation("X-API-Key", fuzz.Index % 2 == 0 ? "vz_0000000000000000_" + new string('Z', 43) : "' OR '1'='1");
                break;
            case FuzzCredential.BearerAdmin:
                request.Headers.TryAddWithoutValidation("Authorization", "bearer   " + _adminKey);
                break;
            case FuzzCredential.OtherScheme:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + _adminKey)));
                break;
            case FuzzCredential.TwoKeys:
                request.Headers.TryAddWithoutValidation("X-API-Key", [_adminKey, trade]);
                break;
        }

        if (fuzz.Body is { } body)
        {
            HttpContent content = fuzz.Chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            if (fuzz.ContentType is { } type)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            request.Content = content;
            request.Headers.TransferEncodingChunked = fuzz.Chunked;
        }

        try
        {
            // Headers first: an accepted /api/stream request answers with a stream that never ends.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                report.Count(status);
                return;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            // 503 push_unavailable, and /health's 503 with its body (the gateway cannot trade), are the service's state
            // (no worker runs in this fixture), not a verdict on the input.
            var hubNotUp = status == 503 && (text.Contains("\"push_unavailable\"", StringComparison.Ordinal) || text.StartsWith("{\"ok\":true,\"components\":", StringComparison.Ordinal));
            if (fuzz.IsHuge && status == 502 && text.StartsWith("Functions host stand-in:", StringComparison.Ordinal))
            {
                // The API refused the oversized body before reading it and closed the connection; the stand-in,
                // still sending it, reports that as its own 502 (standalone, the client sees the same as a transport error).
                report.OversizedTransportError();
                return;
            }

            report.Count(hubNotUp ? 0 : status);
            if (status >= 500 && !hubNotUp)
            {
                report.Failures.Add($"{status} for {fuzz.Describe()}: {Truncate(text)}");
                return;
            }

            if (fuzz.Method != "HEAD" && response.Content.Headers.ContentType?.MediaType == "application/json" && !IsJson(text))
            {
                report.Failures.Add($"invalid JSON answer ({status}) for {fuzz.Describe()}: {Truncate(text)}");
                return;
            }

            if (fuzz.IsOrder && !IsRefusal(text))
            {
                // Every generated order has a defect: anything but a refusal means validation let one through.
                report.Failures.Add($"order not refused ({status}) for {fuzz.Describe()}: {Truncate(text)}");
                return;
            }

            if (fuzz.IsPing && status == 200 && text.Contains("\"ok\":true", StringComparison.Ordinal))
            {
                report.Ping();
            }
        }
        catch (HttpRequestException) when (fuzz.IsHuge)
        {
            // Refusing an oversized body before reading it may close the connection while the client is still sending.
            report.OversizedTransportError();
        }
        catch (HttpRequestException ex)
        {
            report.Failures.Add($"transport error ({ex.Message} {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}) for {fuzz.Describe()}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            report.Failures.Add($"no answer within 30 s for {fuzz.Describe()}");
        }
    }

    /// <summary>The answers that mean an order was refused before it could go anywhere.</summary>
    private static bool IsRefusal(string text) =>
        text.Length == 0
        || new[] { "bad_json", "bad_params", "unauthorized", "forbidden", "body_too_large", "unsupported_media_type", "rate_limited", "method_not_allowed", "not_found" }
            .Any(e => text.Contains($"\"error\":\"{e}\"", StringComparison.Ordinal));

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    private sealed class FuzzReport
    {
        private readonly ConcurrentDictionary<int, int> _statuses = new();
        private int _successfulPings;
        private int _oversizedTransportErrors;

        public ConcurrentBag<string> Failures { get; } = [];

        public IReadOnlyDictionary<int, int> Statuses => _statuses;

        public int SuccessfulPings => _successfulPings;

        public int OversizedTransportErrors => _oversizedTransportErrors;

        public int Sent { get; set; }

        public TimeSpan Elapsed { get; set; }

        public void Count(int status) => _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);

        public void Ping() => Interlocked.Increment(ref _successfulPings);

        public void OversizedTransportError() => Interlocked.Increment(ref _oversizedTransportErrors);
    }
}
