using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Time;

namespace VeloZ.Push.Azure;

/// <summary>
/// Publishes to an Azure SignalR Service hub (serverless mode) through the data-plane REST API 2022-06-01:
/// <c>POST {ServerEndpoint or Endpoint[:Port]}/api/hubs/{hub}/:send?api-version=2022-06-01</c> with
/// <c>{"target":"&lt;event type&gt;","arguments":[&lt;the event JSON, byte for byte&gt;]}</c> and an HS256 Bearer token
/// whose <c>aud</c> is the request URL (see <see cref="AzureSignalROptions.RestAudienceIncludesQuery"/>).
/// <list type="bullet">
/// <item>Messages go one at a time, in order; overlapping calls queue behind each other, so order holds across calls too.</item>
/// <item>202 (or any 2xx) is success. 429, 408, 5xx, timeouts and network errors are retried with capped exponential
/// back-off and jitter (a 429's <c>Retry-After</c> is honoured up to the cap); after
/// <see cref="AzureSignalROptions.MaxAttempts"/> tries, or at once on any other 4xx (401, 403, 400, 413, ...), the call
/// throws <see cref="PushDeliveryException"/> with the status and the service's error message, and sends nothing more.
/// A retry after a timeout or 5xx may deliver a message twice (the service might have taken the first); events carry
/// their <c>id</c>, so subscribers can drop repeats.</item>
/// <item>Tokens are short-lived and reused until shortly before they expire. Neither a token nor the key is ever logged
/// or put in an exception.</item>
/// </list>
/// </summary>
public sealed partial class AzureSignalRRestPublisher : IEventPublisher, IDisposable
{
    /// <summary>The service's limit on a REST request body.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const int MaxDetailLength = 300;

    private readonly HttpClient _http;
    private readonly AzureSignalROptions _options;
    private readonly SignalRTokenIssuer _issuer;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sequence = new(1, 1);
    private readonly Lock _tokensLock = new();
    private readonly Dictionary<string, SignalRAccessToken> _tokens = new(StringComparer.Ordinal);

    public AzureSignalRRestPublisher(HttpClient httpClient, SignalRConnectionString connectionString, AzureSignalROptions options, TimeProvider timeProvider, ILogger<AzureSignalRRestPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = httpClient;
        _options = options;
        _issuer = new SignalRTokenIssuer(connectionString.AccessKey, timeProvider);
        _clock = timeProvider;
        _logger = logger;
        var server = SignalRConnectionString.Trimmed(connectionString.ServerEndpoint);
        SendUrl = new Uri($"{server}/api/hubs/{options.Hub.ToLowerInvariant()}/:send?api-version={AzureSignalROptions.ApiVersion}");
        HealthUrl = new Uri($"{server}/api/health?api-version={AzureSignalROptions.ApiVersion}");
    }

    /// <summary>The broadcast URL every message is posted to.</summary>
    public Uri SendUrl { get; }

    /// <summary>The service health URL (<c>HEAD</c>).</summary>
    public Uri HealthUrl { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A message has no target, is not one JSON value, or is larger than the service accepts; nothing was sent.</exception>
    /// <exception cref="PushDeliveryException">A message was refused or still failed after the retries; it and the rest were not sent.</exception>
    public async Task PublishAsync(IReadOnlyList<PushMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        // Every body is built (and checked) before the first is sent, so a malformed message fails the call up front.
        var bodies = new byte[messages.Count][];
        for (var i = 0; i < messages.Count; i++)
        {
            bodies[i] = BuildBody(messages[i]);
        }

        await _sequence.WaitAsync(cancellationToken);
        try
        {
            for (var i = 0; i < messages.Count; i++)
            {
                await SendWithRetriesAsync(messages[i].Target, bodies[i], i, cancellationToken);
            }
        }
        finally
        {
            _sequence.Release();
        }
    }

    /// <summary><c>HEAD /api/health</c>: true when the service answers 200, false on any other answer, timeout or network error.</summary>
    public async Task<bool> CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, HealthUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(HealthUrl));
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                LogUnhealthy(_logger, (int)response.StatusCode);
            }

            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(_logger, ex.HttpRequestError.ToString());
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(_logger, "timeout");
            return false;
        }
    }

    public void Dispose() => _sequence.Dispose();

    /// <summary><c>{"target":...,"arguments":[...]}</c> with the argument's bytes copied unchanged (only checked to be one JSON value).</summary>
    internal static byte[] BuildBody(PushMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Target))
        {
            throw new ArgumentException("A push message needs a target (the event type).", nameof(message));
        }

        var buffer = new ArrayBufferWriter<byte>(message.ArgumentJson.Length + message.Target.Length + 32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("target"u8, message.Target);
            json.WriteStartArray("arguments"u8);
            try
            {
                json.WriteRawValue(message.ArgumentJson.Span);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                // Empty input is an ArgumentException, anything else malformed a JsonException.
                throw new ArgumentException($"The argument of push message '{message.Target}' is not one valid JSON value.", nameof(message), ex);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenCount <= MaxBodyBytes
            ? buffer.WrittenSpan.ToArray()
            : throw new ArgumentException($"Push message '{message.Target}' is {buffer.WrittenCount} bytes; Azure SignalR Service accepts at most {MaxBodyBytes}.", nameof(message));
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): <see cref="Backoff.Delay"/>.</summary>
    internal static TimeSpan BackoffDelay(int retry, TimeSpan initial, TimeSpan max, double unitRandom) =>
        Backoff.Delay(retry - 1, initial, max, unitRandom);

    private async Task SendWithRetriesAsync(string target, byte[] body, int index, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await SendOnceAsync(body, cancellationToken);
            if (outcome.Delivered)
            {
                return;
            }

            if (!outcome.Transient)
            {
                LogRefused(_logger, target, outcome.Describe());
                throw Failure($"Azure SignalR Service refused push message '{target}': {outcome.Describe()}. Not retried.", target, index, attempt, outcome);
            }

            if (attempt >= _options.MaxAttempts)
            {
                LogGaveUp(_logger, target, attempt, outcome.Describe());
                throw Failure($"Push message '{target}' was not delivered to Azure SignalR Service after {attempt} attempts; last: {outcome.Describe()}.", target, index, attempt, outcome);
            }

            var delay = outcome.RetryAfter is { } retryAfter
                ? TimeSpan.FromTicks(Math.Clamp(retryAfter.Ticks, 0, _options.MaxBackoff.Ticks))
                : Backoff.JitteredDelay(attempt - 1, _options.InitialBackoff, _options.MaxBackoff);
            LogRetry(_logger, target, outcome.Describe(), attempt, _options.MaxAttempts, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _clock, cancellationToken);
        }
    }

    private async Task<Outcome> SendOnceAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SendUrl);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(SendUrl));
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new Outcome(true, false, status, null, null, null);
            }

            var (code, message) = await ReadErrorAsync(response, linked.Token);
            var transient = status is 408 or 429 or >= 500;
            var retryAfter = status == 429 ? RetryAfter(response) : null;
            return new Outcome(false, transient, status, code, message, retryAfter);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(false, true, null, null, "network error " + ex.HttpRequestError, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(false, true, null, null, $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s", null);
        }
    }

    /// <summary>The cached token for <paramref name="url"/>, or a new one when it has less than the renewal margin left.</summary>
    private string TokenFor(Uri url)
    {
        var audience = _options.RestAudienceIncludesQuery ? url.AbsoluteUri : url.GetLeftPart(UriPartial.Path);
        lock (_tokensLock)
        {
            if (!_tokens.TryGetValue(audience, out var token) || _clock.GetUtcNow() >= token.ExpiresAt - _options.RestTokenRenewBefore)
            {
                token = _issuer.Issue(audience, _options.RestTokenLifetime);
                _tokens[audience] = token;
            }

            return token.Value;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _clock.GetUtcNow(),
            _ => null,
        };

    /// <summary>The service's <c>ErrorDetail</c> (<c>code</c>, <c>message</c>), when the body is one; shortened for logs.</summary>
    private static async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (body.Length == 0)
            {
                return (null, null);
            }

            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? code = null, message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (property.NameEquals("code"u8) || property.NameEquals("Code"u8))
                {
                    code = Shorten(property.Value.GetString());
                }
                else if (property.NameEquals("message"u8) || property.NameEquals("Message"u8))
                {
                    message = Shorten(property.Value.GetString());
                }
            }

            return (code, message);
        }
        catch (JsonException)
        {
            // A gateway's HTML page: the status says enough.
            return (null, null);
        }
    }

    private static string? Shorten(string? text) => text is { Length: > MaxDetailLength } ? text[..MaxDetailLength] + "..." : text;

    private static PushDeliveryException Failure(string message, string target, int index, int attempts, Outcome outcome) => new(message)
    {
        Target = target,
        DeliveredCount = index,
        Attempts = attempts,
        StatusCode = outcome.Status,
        ErrorCode = outcome.Code,
        IsTransient = outcome.Transient,
    };

    private readonly record struct Outcome(bool Delivered, bool Transient, int? Status, string? Code, string? Message, TimeSpan? RetryAfter)
    {
        public string Describe()
        {
            var text = Status is { } status ? $"HTTP {status}" : Message ?? "failed";
            if (Status is not null && Code is not null)
            {
                text += $" {Code}";
            }

            return Status is not null && Message is not null ? $"{text}: {Message}" : text;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure SignalR Service did not take push message {Target} ({Outcome}), attempt {Attempt} of {MaxAttempts}; retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string target, string outcome, int attempt, int maxAttempts, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Azure SignalR Service refused push message {Target}: {Outcome}")]
    private static partial void LogRefused(ILogger logger, string target, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Push message {Target} not delivered to Azure SignalR Service after {Attempts} attempts: {Outcome}")]
    private static partial void LogGaveUp(ILogger logger, string target, int attempts, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure SignalR Service health check answered {Status}")]
    private static partial void LogUnhealthy(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure SignalR Service health check failed: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
