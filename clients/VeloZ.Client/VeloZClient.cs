using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VeloZ.Client;

/// <summary>
/// A typed client of the VeloZ HTTP API over an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is
/// the API's. One method per operation of the API's OpenAPI document (<c>GET /openapi.json</c>), named after its
/// <c>operationId</c>; a test checks that every method's verb and path are the document's. With an
/// <paramref name="apiKey"/> every request carries it as <c>X-API-Key</c>. Errors are answers, not exceptions:
/// each method returns an <see cref="ApiResponse{T}"/> (call <see cref="ApiResponse{T}.EnsureSuccess"/> to throw).
/// </summary>
public sealed class VeloZClient(HttpClient http, string? apiKey = null)
{
    private static readonly VeloZClientJsonContext s_json = VeloZClientJsonContext.Default;

    public Task<ApiResponse<Health>> GetHealthAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/health", s_json.Health, cancellationToken);

    public Task<ApiResponse<Probe>> GetHealthLiveAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/health/live", s_json.Probe, cancellationToken);

    /// <summary>200 when the gateway can trade, else 503 with the same body naming the reasons.</summary>
    public Task<ApiResponse<Probe>> GetHealthReadyAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "/health/ready", null, s_json.Probe, cancellationToken, errorBody: s_json.Probe);

    /// <summary>The OpenAPI document itself.</summary>
    public Task<ApiResponse<JsonElement>> GetOpenApiDocumentAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/openapi.json", s_json.JsonElement, cancellationToken);

    public Task<ApiResponse<Config>> GetConfigAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/api/config", s_json.Config, cancellationToken);

    public Task<ApiResponse<Market>> GetMarketAsync(string? symbol = null, CancellationToken cancellationToken = default) =>
        GetAsync("/api/market" + Query(("symbol", symbol)), s_json.Market, cancellationToken);

    public Task<ApiResponse<SymbolList>> GetSymbolsAsync(string? symbol = null, CancellationToken cancellationToken = default) =>
        GetAsync("/api/symbols" + Query(("symbol", symbol)), s_json.SymbolList, cancellationToken);

    public Task<ApiResponse<OrderPlaced>> PlaceOrderAsync(OrderRequest order, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/order", Body(order, s_json.OrderRequest), s_json.OrderPlaced, cancellationToken);

    public Task<ApiResponse<Cancelled>> CancelOrderAsync(CancelRequest cancel, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/cancel", Body(cancel, s_json.CancelRequest), s_json.Cancelled, cancellationToken);

    public Task<ApiResponse<OrderState>> GetOrderStateAsync(string clientOrderId, CancellationToken cancellationToken = default) =>
        GetAsync("/api/order_state" + Query(("client_order_id", clientOrderId)), s_json.OrderState, cancellationToken);

    /// <summary>Without <paramref name="page"/>: every order, oldest change first; with it, one page newest first.</summary>
    public Task<ApiResponse<OrdersPage>> GetOrdersStateAsync(HistoryQuery? page = null, CancellationToken cancellationToken = default) =>
        GetAsync("/api/orders_state" + Query(page), s_json.OrdersPage, cancellationToken);

    public Task<ApiResponse<OrderEvents>> GetOrderEventsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/api/orders", s_json.OrderEvents, cancellationToken);

    /// <summary>Every fill of <paramref name="clientOrderId"/>, or (null) a page of fills by <paramref name="page"/>.</summary>
    public Task<ApiResponse<Fills>> GetFillsAsync(string? clientOrderId = null, HistoryQuery? page = null, CancellationToken cancellationToken = default) =>
        GetAsync("/api/fills" + (clientOrderId is null ? Query(page) : Query(("client_order_id", clientOrderId))), s_json.Fills, cancellationToken);

    public Task<ApiResponse<Account>> GetAccountAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/api/account", s_json.Account, cancellationToken);

    public Task<ApiResponse<Ping>> PingExecutionAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/api/execution/ping", s_json.Ping, cancellationToken);

    public Task<ApiResponse<Negotiate>> NegotiatePushAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/negotiate", null, s_json.Negotiate, cancellationToken);

    public Task<ApiResponse<ApiKeys>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/api/admin/keys", s_json.ApiKeys, cancellationToken);

    public Task<ApiResponse<ApiKeyCreated>> CreateKeyAsync(CreateKeyRequest key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/admin/keys", Body(key, s_json.CreateKeyRequest), s_json.ApiKeyCreated, cancellationToken);

    public Task<ApiResponse<ApiKeyRevoked>> RevokeKeyAsync(RevokeKeyRequest key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/admin/keys/revoke", Body(key, s_json.RevokeKeyRequest), s_json.ApiKeyRevoked, cancellationToken);

    public Task<ApiResponse<TradingMode>> GetTradingModeAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/api/admin/trading_mode", s_json.TradingMode, cancellationToken);

    public Task<ApiResponse<TradingMode>> SetTradingModeAsync(TradingModeRequest mode, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/admin/trading_mode", Body(mode, s_json.TradingModeRequest), s_json.TradingMode, cancellationToken);

    public Task<ApiResponse<CancelAll>> CancelAllAsync(CancelAllRequest? scope = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/admin/cancel_all", Body(scope ?? new CancelAllRequest(), s_json.CancelAllRequest), s_json.CancelAll, cancellationToken);

    /// <summary>
    /// <c>GET /api/stream</c>: every retained event after <paramref name="lastId"/>, then the live ones (only live ones
    /// when null), until the response ends or <paramref name="cancellationToken"/> fires. A refused stream throws <see cref="VeloZApiException"/>.
    /// </summary>
    public async IAsyncEnumerable<StreamEvent> StreamEventsAsync(long? lastId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, "/api/stream" + Query(("last_id", lastId?.ToString(CultureInfo.InvariantCulture))), null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new VeloZApiException(response.StatusCode, TryRead(json, s_json.ApiError), json);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        await foreach (var item in ServerSentEvents.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private Task<ApiResponse<T>> GetAsync<T>(string path, JsonTypeInfo<T> result, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, result, cancellationToken);

    private async Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> result, CancellationToken cancellationToken, JsonTypeInfo<T>? errorBody = null)
    {
        using var request = Request(method, path, body);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return new ApiResponse<T>(response.StatusCode, TryRead(json, result), null, json);
        }

        // A probe's 503 carries its own body rather than the error body.
        var value = errorBody is null ? default : TryRead(json, errorBody);
        return new ApiResponse<T>(response.StatusCode, value, TryRead(json, s_json.ApiError), json);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? body)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body };
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(path.StartsWith("/api/stream", StringComparison.Ordinal) ? "text/event-stream" : "application/json"));
        return request;
    }

    private static StringContent Body<T>(T value, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    private static T? TryRead<T>(string json, JsonTypeInfo<T> type)
    {
        try
        {
            return json.Length == 0 ? default : JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string Query(HistoryQuery? page) => page is null
        ? string.Empty
        : Query(("symbol", page.Symbol), ("status", page.Status), ("since", page.Since?.ToString(CultureInfo.InvariantCulture)),
            ("limit", page.Limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", page.Cursor));

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }
}
