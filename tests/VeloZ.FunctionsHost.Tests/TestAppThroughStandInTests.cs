using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace VeloZ.FunctionsHost.Tests;

/// <summary>What VeloZ.Functions does not exercise yet: keys, route values, streaming, failures.</summary>
public sealed class TestAppThroughStandInTests(TestAppFixture fixture, ITestOutputHelper output)
    : StandInTest(fixture, output), IClassFixture<TestAppFixture>
{
    private readonly FunctionsHostStandIn _host = fixture.Host;
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Route_prefix_comes_from_host_json()
    {
        Assert.Equal("testapi", _host.RoutePrefix);
        Assert.Equal("/testapi/echo/{id}", _host.LoadedFunctions.Single(f => f.Name == "Echo").Path);

        using var unprefixed = await _client.GetAsync(new Uri("echo/1", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unprefixed.StatusCode);
    }

    [Fact]
    public async Task Request_reaches_the_worker_with_route_values_invocation_id_and_forwarded_headers()
    {
        using var response = await _client.GetAsync(new Uri("testapi/echo/42?x=1", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("42", root.GetProperty("id").GetString());
        Assert.Equal("42", root.GetProperty("routeId").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("?x=1", root.GetProperty("query").GetString());
        Assert.Equal(_host.BaseAddress.Authority, root.GetProperty("host").GetString());
        var invocationId = root.GetProperty("invocationId").GetString();
        var invocation = await _host.WaitForInvocationAsync(i => i.InvocationId == invocationId, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Echo", invocation.FunctionName);
        Assert.True(invocation.Succeeded, invocation.Error);
    }

    [Fact]
    public async Task Function_level_route_needs_a_function_key()
    {
        var path = new Uri("testapi/secret", UriKind.Relative);
        using (var response = await _client.GetAsync(path, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, path))
        {
            wrongKey.Headers.Add("x-functions-key", "not-the-key");
            using var response = await _client.SendAsync(wrongKey, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var withHeader = new HttpRequestMessage(HttpMethod.Get, path))
        {
            withHeader.Headers.Add("x-functions-key", _host.FunctionKey);
            using var response = await _client.SendAsync(withHeader, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("secret-ok", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var response = await _client.GetAsync(new Uri($"testapi/secret?code={Uri.EscapeDataString(_host.FunctionKey)}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await _client.GetAsync(new Uri($"testapi/secret?code={Uri.EscapeDataString(_host.MasterKey)}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Admin_level_route_needs_the_master_key()
    {
        using (var withFunctionKey = new HttpRequestMessage(HttpMethod.Get, new Uri("testapi/admin-only", UriKind.Relative)))
        {
            withFunctionKey.Headers.Add("x-functions-key", _host.FunctionKey);
            using var response = await _client.SendAsync(withFunctionKey, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var withMasterKey = new HttpRequestMessage(HttpMethod.Get, new Uri("testapi/admin-only", UriKind.Relative)))
        {
            withMasterKey.Headers.Add("x-functions-key", _host.MasterKey);
            using var response = await _client.SendAsync(withMasterKey, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Streamed_response_arrives_chunk_by_chunk()
    {
        const int Events = 4;
        var gap = TimeSpan.FromMilliseconds(600);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"testapi/stream?count={Events}&gapMs={gap.TotalMilliseconds}", UriKind.Relative));
        var started = Stopwatch.GetTimestamp();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var arrivals = new List<(string Data, TimeSpan At)>();
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                arrivals.Add((line["data: ".Length..], Stopwatch.GetElapsedTime(started)));
            }
        }

        Assert.Equal(Enumerable.Range(1, Events).Select(n => $"{{\"n\":{n}}}"), arrivals.Select(a => a.Data));
        // Buffered, every event would arrive at the end; streamed, each arrives about one gap after the last.
        for (var i = 1; i < arrivals.Count; i++)
        {
            var spacing = arrivals[i].At - arrivals[i - 1].At;
            Assert.True(spacing > gap / 2, $"Event {i + 1} arrived {spacing.TotalMilliseconds:0} ms after event {i}; arrivals: {string.Join(", ", arrivals.Select(a => $"{a.At.TotalMilliseconds:0} ms"))}");
        }
    }

    [Fact]
    public async Task Failed_invocation_is_reported_with_the_workers_log_lines()
    {
        using var response = await _client.GetAsync(new Uri("testapi/fail", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var invocation = Assert.Single(_host.Invocations, i => i.FunctionName == "Fail");
        Assert.Equal("Failure", invocation.Status);
        Assert.Contains("Deliberate failure for the stand-in tests.", invocation.Error, StringComparison.Ordinal);
        var report = Assert.Single(_host.WorkerLogs, l => l.Contains($"(invocation {invocation.InvocationId}): HTTP 500, Failure", StringComparison.Ordinal));
        Assert.Contains("Last worker log lines:", report, StringComparison.Ordinal);
        Assert.Contains("Fail function about to throw", report, StringComparison.Ordinal);
    }
}
