using System.Net;
using System.Text;
using System.Text.Json;
using VeloZ.Client;

namespace VeloZ.EndToEnd.Tests;

/// <summary>The seed guide's walkthrough — place, check status, cancel, account — as a client runs it (through <see cref="VeloZClient"/>).</summary>
internal static class OrderWalkthrough
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient api, string path, string json)
    {
        using var response = await api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static async Task<JsonElement> GetAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the answer of <paramref name="path"/>.</summary>
    public static async Task<JsonElement> EventuallyAsync(HttpClient api, string path, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var body = await GetAsync(api, path);
            if (condition(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never satisfied the condition; last answer: {body}");
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>
    /// Runs the walkthrough with a resting BUY far below the market through <see cref="VeloZClient"/>, the typed client of
    /// the API's OpenAPI document, checking each answer's typed fields and, where a script would, its exact JSON; returns
    /// the venue order id.
    /// </summary>
    public static async Task<string> RunAsync(HttpClient api, string clientOrderId)
    {
        var client = new VeloZClient(api);
        var ping = await client.PingExecutionAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.True(ping.EnsureSuccess().Ok);
        Assert.Equal("""{"ok":true,"result":{}}""", ping.Json);

        var placed = await client.PlaceOrderAsync(new OrderRequest("BUY", "BTCUSDT", 0.001m, 10000.0m, clientOrderId), Ct);
        Assert.True(placed.Status == HttpStatusCode.OK, $"place answered {(int)placed.Status}: {placed.Json}");
        Assert.True(placed.Value!.Ok);
        Assert.Equal(clientOrderId, placed.Value.ClientOrderId);
        var venueOrderId = placed.Value.VenueOrderId!;
        Assert.Matches("^[0-9]+$", venueOrderId);

        var answer = await client.GetOrderStateAsync(clientOrderId, Ct);
        var state = answer.EnsureSuccess();
        Assert.Equal(clientOrderId, state.ClientOrderId);
        Assert.Equal("BTCUSDT", state.Symbol);
        Assert.Equal("BUY", state.Side);
        Assert.Equal(0.001m, state.OrderQty);
        Assert.Equal(10000.0m, state.LimitPrice);
        Assert.Equal(venueOrderId, state.VenueOrderId);
        Assert.Equal("ACCEPTED", state.Status);
        Assert.Equal(0m, state.ExecutedQty);
        // Present and null, not merely absent.
        using (var raw = JsonDocument.Parse(answer.Json))
        {
            Assert.Equal(JsonValueKind.Null, raw.RootElement.GetProperty("avg_price").ValueKind);
        }

        Assert.True(state.LastTsNs > 1_700_000_000_000_000_000);

        // The worker's account snapshot shows the 10 USDT locked by the order.
        await EventuallyAsync(() => client.GetAccountAsync(Ct), a => a.Balances.Any(b => b.Asset == "USDT" && b.Locked >= 10.0m));

        var cancelled = await client.CancelOrderAsync(new CancelRequest(clientOrderId, "BTCUSDT"), Ct);
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal($$"""{"ok":true,"client_order_id":"{{clientOrderId}}"}""", cancelled.Json);
        Assert.Equal(clientOrderId, cancelled.Value!.ClientOrderId);
        Assert.Equal("CANCELLED", (await client.GetOrderStateAsync(clientOrderId, Ct)).EnsureSuccess().Status);

        var account = (await client.GetAccountAsync(Ct)).EnsureSuccess();
        Assert.True(account.TsNs > 0);
        Assert.Contains(account.Balances, b => b.Asset == "BTC");
        return venueOrderId;
    }

    /// <summary>Calls <paramref name="call"/> until its success body satisfies <paramref name="condition"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<ApiResponse<T>>> call, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var answer = await call();
            if (answer.EnsureSuccess() is var body && condition(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the condition never held; last answer: {answer.Json}");
            await Task.Delay(200, Ct);
        }
    }
}
