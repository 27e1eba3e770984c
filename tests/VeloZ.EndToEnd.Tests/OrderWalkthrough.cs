using System.Net;
using System.Text;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

/// <summary>The seed guide's walkthrough — place, check status, cancel, account — as a client runs it.</summary>
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

    /// <summary>Runs the walkthrough with a resting BUY far below the market; returns the venue order id.</summary>
    public static async Task<string> RunAsync(HttpClient api, string clientOrderId)
    {
        var ping = await GetAsync(api, "/api/execution/ping");
        Assert.Equal("""{"ok":true,"result":{}}""", ping.GetRawText());

        var (placed, body) = await PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000.0,"client_order_id":"{{clientOrderId}}"}""");
        Assert.True(placed == HttpStatusCode.OK, $"place answered {(int)placed}: {body}");
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal(clientOrderId, body.GetProperty("client_order_id").GetString());
        var venueOrderId = body.GetProperty("venue_order_id").GetString()!;
        Assert.Matches("^[0-9]+$", venueOrderId);

        var state = await GetAsync(api, $"/api/order_state?client_order_id={clientOrderId}");
        Assert.Equal(clientOrderId, state.GetProperty("client_order_id").GetString());
        Assert.Equal("BTCUSDT", state.GetProperty("symbol").GetString());
        Assert.Equal("BUY", state.GetProperty("side").GetString());
        Assert.Equal(0.001m, state.GetProperty("order_qty").GetDecimal());
        Assert.Equal(10000.0m, state.GetProperty("limit_price").GetDecimal());
        Assert.Equal(venueOrderId, state.GetProperty("venue_order_id").GetString());
        Assert.Equal("ACCEPTED", state.GetProperty("status").GetString());
        Assert.Equal(0m, state.GetProperty("executed_qty").GetDecimal());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("avg_price").ValueKind);
        Assert.True(state.GetProperty("last_ts_ns").GetInt64() > 1_700_000_000_000_000_000);

        // The worker's account snapshot shows the 10 USDT locked by the order.
        await EventuallyAsync(api, "/api/account", a => a.GetProperty("balances").EnumerateArray()
            .Any(b => b.GetProperty("asset").GetString() == "USDT" && b.GetProperty("locked").GetDecimal() >= 10.0m));

        var (cancelled, cancelBody) = await PostAsync(api, "/api/cancel", $$"""{"client_order_id":"{{clientOrderId}}","symbol":"BTCUSDT"}""");
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal($$"""{"ok":true,"client_order_id":"{{clientOrderId}}"}""", cancelBody.GetRawText());
        Assert.Equal("CANCELLED", (await GetAsync(api, $"/api/order_state?client_order_id={clientOrderId}")).GetProperty("status").GetString());

        var account = await GetAsync(api, "/api/account");
        Assert.True(account.GetProperty("ts_ns").GetInt64() > 0);
        Assert.Contains(account.GetProperty("balances").EnumerateArray(), b => b.GetProperty("asset").GetString() == "BTC");
        return venueOrderId;
    }
}
