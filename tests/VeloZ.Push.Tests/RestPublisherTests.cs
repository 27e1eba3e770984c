using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Push.Azure;

namespace VeloZ.Push.Tests;

/// <summary>The REST publisher against a local stand-in for the service that records exactly what it was sent.</summary>
public sealed class RestPublisherTests : IAsyncLifetime
{
    private const string Key = "FTRTcpGwz+4NLEtqiajH5gUkQ2KBoL/e/Rw7WnmYt9Y=";
    private static readonly DateTimeOffset s_start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(s_start);
    private readonly ListLogger _logs = new();
    private readonly List<AzureSignalRRestPublisher> _publishers = [];
    private CaptureServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string SendUrl => $"http://127.0.0.1:{_server.Port}/api/hubs/veloz/:send?api-version=2022-06-01";

    public async ValueTask InitializeAsync() => _server = await CaptureServer.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var publisher in _publishers)
        {
            publisher.Dispose();
        }

        await _server.DisposeAsync();
    }

    private AzureSignalRRestPublisher Publisher(Action<AzureSignalROptions>? configure = null)
    {
        var options = new AzureSignalROptions { InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero };
        configure?.Invoke(options);
        var connectionString = SignalRConnectionString.Parse($"Endpoint=http://127.0.0.1;Port={_server.Port};AccessKey={Key};Version=1.0;");
        var publisher = new AzureSignalRRestPublisher(new HttpClient(), connectionString, options, _clock, _logs.For<AzureSignalRRestPublisher>());
        _publishers.Add(publisher);
        return publisher;
    }

    private static PushMessage Message(string target, string json) => new(target, Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task One_message_is_one_post_to_the_broadcast_url_with_a_token_for_that_url()
    {
        await Publisher().PublishAsync([Message("market", """{"symbol":"BTCUSDT","price":"40000.01","id":17}""")], Ct);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/hubs/veloz/:send", request.Path);
        Assert.Equal("?api-version=2022-06-01", request.Query);
        Assert.Equal(SendUrl, request.Url);
        Assert.Equal("application/json", request.ContentType);
        var jwt = Jwt.FromBearer(request.Authorization);
        Assert.True(jwt.IsSignedWithUtf8Of(Key));
        Assert.Equal(request.Url, jwt.Audience);
        Assert.Equal(s_start.ToUnixTimeSeconds(), jwt.Iat);
        Assert.Equal(s_start.AddMinutes(5).ToUnixTimeSeconds(), jwt.Exp);
    }

    [Fact]
    public async Task The_body_is_target_and_the_argument_bytes_untouched()
    {
        // Odd but valid JSON: spacing, escapes, a big number, key order; none of it may be normalised.
        const string argument = """{ "z":1,"a" : "\u00e9\/x","n":123456789012345678901234567890.50 , "id":3}""";

        await Publisher().PublishAsync([Message("order_update", argument)], Ct);

        var body = Assert.Single(_server.Requests).Body;
        Assert.Equal("""{"target":"order_update","arguments":[""" + argument + "]}", Encoding.UTF8.GetString(body));
        using var parsed = JsonDocument.Parse(body);
        Assert.Equal(["target", "arguments"], parsed.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(argument, parsed.RootElement.GetProperty("arguments")[0].GetRawText());
    }

    [Fact]
    public async Task A_batch_goes_out_in_order_one_request_per_message()
    {
        var messages = Enumerable.Range(1, 20).Select(i => Message(i % 2 == 0 ? "fill" : "order_update", $$"""{"id":{{i}}}""")).ToList();

        await Publisher().PublishAsync(messages, Ct);

        Assert.Equal(
            messages.Select(m => Encoding.UTF8.GetString(m.ArgumentJson.Span)),
            _server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("arguments")[0].GetRawText()));
        Assert.Equal(messages.Select(m => m.Target), _server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task Overlapping_calls_do_not_interleave()
    {
        var publisher = Publisher();
        var first = Enumerable.Range(1, 10).Select(i => Message("a", $$"""{"id":{{i}}}""")).ToList();
        var second = Enumerable.Range(11, 10).Select(i => Message("b", $$"""{"id":{{i}}}""")).ToList();

        await Task.WhenAll(publisher.PublishAsync(first, Ct), publisher.PublishAsync(second, Ct));

        var targets = string.Concat(_server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("target").GetString()));
        Assert.True(targets is "aaaaaaaaaabbbbbbbbbb" or "bbbbbbbbbbaaaaaaaaaa", targets);
    }

    [Fact]
    public async Task Service_unavailable_and_throttling_are_retried_and_a_delivered_message_is_not_sent_again()
    {
        _server.Then(503, """{"code":"ServiceUnavailable","message":"busy"}""").Then(429).Then(202).Then(200);

        await Publisher().PublishAsync([Message("market", """{"id":1}"""), Message("market", """{"id":2}""")], Ct);

        Assert.Equal(
            ["""{"id":1}""", """{"id":1}""", """{"id":1}""", """{"id":2}"""],
            _server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("arguments")[0].GetRawText()));
        Assert.All(_server.Requests, r => Assert.Equal(SendUrl, Jwt.FromBearer(r.Authorization).Audience));
        Assert.Equal(2, _logs.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unauthorized_is_not_retried_and_says_why_without_the_token_or_key()
    {
        _server.Then(401, """{"code":"Unauthorized","message":"The audience is invalid","target":null}""");
        var publisher = Publisher();

        var error = await Assert.ThrowsAsync<PushDeliveryException>(() =>
            publisher.PublishAsync([Message("market", """{"id":1}"""), Message("market", """{"id":2}""")], Ct));

        var request = Assert.Single(_server.Requests);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Unauthorized", error.ErrorCode);
        Assert.Equal("market", error.Target);
        Assert.Equal(0, error.DeliveredCount);
        Assert.Equal(1, error.Attempts);
        Assert.False(error.IsTransient);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("The audience is invalid", error.Message, StringComparison.Ordinal);
        var token = request.Authorization["Bearer ".Length..];
        foreach (var text in _logs.Lines.Append(error.ToString()))
        {
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[2], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refusal_mid_batch_reports_how_many_were_delivered_and_sends_no_more()
    {
        _server.Then(202).Then(403, "<html>forbidden</html>");

        var error = await Assert.ThrowsAsync<PushDeliveryException>(() =>
            Publisher().PublishAsync([Message("a", "{}"), Message("b", "{}"), Message("c", "{}")], Ct));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(403, error.StatusCode);
        Assert.Equal("b", error.Target);
        Assert.Equal(1, error.DeliveredCount);
        Assert.Null(error.ErrorCode);
    }

    [Fact]
    public async Task After_the_last_attempt_the_publish_fails_loudly()
    {
        _server.Then(503).Then(502).Then(500, """{"code":"InternalServerError","message":"oops"}""");

        var error = await Assert.ThrowsAsync<PushDeliveryException>(() =>
            Publisher(o => o.MaxAttempts = 3).PublishAsync([Message("market", "{}"), Message("market", "{}")], Ct));

        Assert.Equal(3, _server.Requests.Count);
        Assert.True(error.IsTransient);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(500, error.StatusCode);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("oops", error.Message, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("after 3 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_wait_for_the_back_off_on_the_injected_clock()
    {
        _server.Then(503);
        var publishing = Publisher(o => { o.InitialBackoff = TimeSpan.FromSeconds(2); o.MaxBackoff = TimeSpan.FromSeconds(2); })
            .PublishAsync([Message("market", "{}")], Ct);

        await _server.WaitForRequestsAsync(1, Ct);
        await Task.Delay(200, Ct);
        Assert.Single(_server.Requests);

        var advanced = await AdvanceUntilAsync(publishing, TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, _server.Requests.Count);
        Assert.InRange(advanced, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Retry_after_on_429_is_honoured_up_to_the_cap()
    {
        _server.Then(429, retryAfter: "3");
        var publishing = Publisher(o => { o.InitialBackoff = TimeSpan.FromMilliseconds(10); o.MaxBackoff = TimeSpan.FromSeconds(30); })
            .PublishAsync([Message("market", "{}")], Ct);

        await _server.WaitForRequestsAsync(1, Ct);
        var advanced = await AdvanceUntilAsync(publishing, TimeSpan.FromMilliseconds(250));

        Assert.Equal(2, _server.Requests.Count);
        Assert.InRange(advanced, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_request_without_answer_times_out_on_the_injected_clock_and_is_retried()
    {
        _server.ThenHang();
        var publishing = Publisher(o => o.RequestTimeout = TimeSpan.FromSeconds(5)).PublishAsync([Message("market", """{"id":9}""")], Ct);

        await _server.WaitForRequestsAsync(1, Ct);
        var advanced = await AdvanceUntilAsync(publishing, TimeSpan.FromSeconds(1));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
        Assert.InRange(advanced, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(9));
        Assert.Contains(_logs.Lines, l => l.Contains("no answer within 5 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_stops_a_retry_loop()
    {
        _server.Then(503);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var publishing = Publisher(o => { o.InitialBackoff = TimeSpan.FromSeconds(5); o.MaxBackoff = TimeSpan.FromSeconds(5); })
            .PublishAsync([Message("market", "{}")], cancel.Token);

        await _server.WaitForRequestsAsync(1, Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publishing);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Tokens_are_reused_until_shortly_before_expiry()
    {
        var publisher = Publisher();

        await publisher.PublishAsync([Message("a", "{}")], Ct);
        _clock.Advance(TimeSpan.FromMinutes(3));
        await publisher.PublishAsync([Message("a", "{}")], Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await publisher.PublishAsync([Message("a", "{}")], Ct);

        var tokens = _server.Requests.Select(r => r.Authorization).ToList();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
        var renewed = Jwt.FromBearer(tokens[2]);
        Assert.Equal(s_start.AddMinutes(4).ToUnixTimeSeconds(), renewed.Iat);
        Assert.Equal(s_start.AddMinutes(9).ToUnixTimeSeconds(), renewed.Exp);
    }

    [Fact]
    public async Task The_audience_form_is_one_switch()
    {
        await Publisher(o => o.RestAudienceIncludesQuery = false).PublishAsync([Message("a", "{}")], Ct);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("?api-version=2022-06-01", request.Query);
        Assert.Equal($"http://127.0.0.1:{_server.Port}/api/hubs/veloz/:send", Jwt.FromBearer(request.Authorization).Audience);
    }

    [Fact]
    public async Task ServerEndpoint_and_hub_decide_the_url()
    {
        var connectionString = SignalRConnectionString.Parse($"Endpoint=https://unused.service.signalr.net;ServerEndpoint=http://127.0.0.1:{_server.Port};AccessKey={Key};Version=1.0;");
        using var publisher = new AzureSignalRRestPublisher(new HttpClient(), connectionString, new AzureSignalROptions { Hub = "VeloZ2" }, _clock, _logs.For<AzureSignalRRestPublisher>());

        await publisher.PublishAsync([Message("a", "{}")], Ct);

        var request = Assert.Single(_server.Requests);
        Assert.Equal($"http://127.0.0.1:{_server.Port}/api/hubs/veloz2/:send?api-version=2022-06-01", request.Url);
        Assert.Equal(request.Url, Jwt.FromBearer(request.Authorization).Audience);
    }

    [Theory]
    [InlineData("", "{}", "target")]
    [InlineData("market", "", "not one valid JSON value")]
    [InlineData("market", "{\"a\":", "not one valid JSON value")]
    [InlineData("market", "{} {}", "not one valid JSON value")]
    public async Task Malformed_messages_fail_before_anything_is_sent(string target, string json, string expected)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Publisher().PublishAsync([Message("ok", "{}"), Message(target, json)], Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Messages_over_the_service_limit_fail_before_anything_is_sent()
    {
        var huge = Message("market", "\"" + new string('x', AzureSignalRRestPublisher.MaxBodyBytes) + "\"");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Publisher().PublishAsync([huge], Ct));

        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task An_empty_batch_sends_nothing()
    {
        await Publisher().PublishAsync([], Ct);

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Health_is_a_head_request_to_the_health_api()
    {
        _server.Then(200).Then(503);
        var publisher = Publisher();

        Assert.True(await publisher.CheckHealthAsync(Ct));
        Assert.False(await publisher.CheckHealthAsync(Ct));

        var request = _server.Requests[0];
        Assert.Equal("HEAD", request.Method);
        Assert.Equal($"http://127.0.0.1:{_server.Port}/api/health?api-version=2022-06-01", request.Url);
        Assert.Equal(request.Url, Jwt.FromBearer(request.Authorization).Audience);
    }

    [Fact]
    public async Task Health_is_false_when_nothing_listens()
    {
        var port = _server.Port;
        await _server.DisposeAsync();
        var connectionString = SignalRConnectionString.Parse($"Endpoint=http://127.0.0.1:{port};AccessKey={Key};Version=1.0;");
        using var publisher = new AzureSignalRRestPublisher(new HttpClient(), connectionString, new AzureSignalROptions(), _clock, _logs.For<AzureSignalRRestPublisher>());
        _server = await CaptureServer.StartAsync(Ct);

        Assert.False(await publisher.CheckHealthAsync(Ct));
    }

    [Fact]
    public void Back_off_doubles_up_to_the_cap_with_equal_jitter()
    {
        var initial = TimeSpan.FromMilliseconds(250);
        var max = TimeSpan.FromSeconds(10);

        Assert.Equal(TimeSpan.FromMilliseconds(125), AzureSignalRRestPublisher.BackoffDelay(1, initial, max, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(250), AzureSignalRRestPublisher.BackoffDelay(1, initial, max, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), AzureSignalRRestPublisher.BackoffDelay(3, initial, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(10), AzureSignalRRestPublisher.BackoffDelay(12, initial, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(5), AzureSignalRRestPublisher.BackoffDelay(100, initial, max, 0));
    }

    /// <summary>Advances the fake clock in steps until <paramref name="task"/> completes; returns how much time passed.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Task task, TimeSpan step)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            Assert.True(advanced < TimeSpan.FromMinutes(5), "the publish never completed");
            await Task.Delay(20, Ct);
            if (task.IsCompleted)
            {
                break;
            }

            _clock.Advance(step);
            advanced += step;
        }

        await task;
        return advanced;
    }
}
