using System.Net;
using System.Text.Json;

namespace VeloZ.Testing;

/// <summary>
/// <c>GET /health</c> as a monitor reads it: the body comes with 200 when the gateway can trade and with 503 when it
/// cannot (storage down, no live worker, a venue ban), so waiting for a component or for readiness reads both.
/// </summary>
public static class GatewayHealth
{
    /// <summary>One answer; any status but 200 or 503 is an error.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var response = await api.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
        {
            throw new InvalidOperationException($"GET /health answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Polls until <paramref name="condition"/> holds for an answer; throws <see cref="TimeoutException"/> with the last one.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> WaitAsync(HttpClient api, Func<HttpStatusCode, JsonElement, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var (status, body) = await GetAsync(api, cancellationToken);
            if (condition(status, body))
            {
                return (status, body);
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"GET /health never satisfied the condition within {timeout}; last answer: {(int)status} {body}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits until the gateway can trade (200).</summary>
    public static Task<(HttpStatusCode Status, JsonElement Body)> WaitUntilReadyAsync(HttpClient api, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(api, (status, _) => status == HttpStatusCode.OK, timeout, cancellationToken);
}
