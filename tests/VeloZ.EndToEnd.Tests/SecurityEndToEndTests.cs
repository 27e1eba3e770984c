using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// API keys, scopes and the trading brake against the real processes, in both hosts: the layer lives in the
/// shared pipeline, so the standalone API and the published app behind the Functions host stand-in must
/// answer alike.
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class SecurityEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task<(string KeyId, string Key)> CreateKey(string host, string scope)
    {
        var (status, body) = await Post(gateway.Api(host), "/api/admin/keys", $$"""{"name":"e2e {{scope}} {{host}}","scope":"{{scope}}"}""");
        Assert.True(status == HttpStatusCode.OK, $"create key answered {(int)status}: {body}");
        return (body.GetProperty("key_id").GetString()!, body.GetProperty("api_key").GetString()!);
    }

    private IReadOnlyList<string> ApiLogs(string host) =>
        host == ApiHosts.Functions ? gateway.StandIn!.WorkerLogs : [.. gateway.StandaloneApi!.Lines];

    private static string Order(string id) => $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000.0,"client_order_id":"{{id}}"}""";

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task A_read_key_reads_but_cannot_place_or_cancel(string host)
    {
        var (readId, readKey) = await CreateKey(host, "read");
        using var reader = gateway.WithKey(host, readKey);
        var openId = $"sec-open-{host}";
        Assert.Equal(HttpStatusCode.OK, (await Post(gateway.Api(host), "/api/order", Order(openId))).Status);

        Assert.Equal(HttpStatusCode.OK, (await Get(reader, "/api/config")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get(reader, $"/api/order_state?client_order_id={openId}")).Status);
        var (placed, placedBody) = await Post(reader, "/api/order", Order($"sec-read-{host}"));
        var (cancelled, cancelledBody) = await Post(reader, "/api/cancel", $$"""{"client_order_id":"{{openId}}"}""");
        var (admin, _) = await Get(reader, "/api/admin/keys");

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (placed, placedBody.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (cancelled, cancelledBody.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, admin);
        // Nothing happened: the refused order was never stored, the open one is still open.
        Assert.Equal(HttpStatusCode.NotFound, (await Get(reader, $"/api/order_state?client_order_id=sec-read-{host}")).Status);
        Assert.Equal("ACCEPTED", (await Get(reader, $"/api/order_state?client_order_id={openId}")).Body.GetProperty("status").GetString());

        // Each refusal is an audit line naming the key id and the client address, never the key.
        var audit = await WaitForLogAsync(host, l => l.Contains("[AUDIT] auth_forbidden", StringComparison.Ordinal) && l.Contains(readId, StringComparison.Ordinal) && l.Contains("api/cancel", StringComparison.Ordinal));
        Assert.Contains("from 127.0.0.1", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiLogs(host), l => l.Contains(readKey, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await Post(gateway.Api(host), "/api/cancel", $$"""{"client_order_id":"{{openId}}"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Post(gateway.Api(host), "/api/admin/keys/revoke", $$"""{"key_id":"{{readId}}"}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(reader, "/api/config")).Status);
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task A_trade_key_places_and_cancels_and_bearer_works_like_the_header(string host)
    {
        var (tradeId, tradeKey) = await CreateKey(host, "trade");
        using var trader = gateway.Anonymous(host);
        trader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tradeKey);
        var id = $"sec-trade-{host}";

        Assert.Equal(HttpStatusCode.OK, (await Post(trader, "/api/order", Order(id))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Post(trader, "/api/cancel", $$"""{"client_order_id":"{{id}}"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(trader, "/api/admin/trading_mode", """{"mode":"cancel_only"}""")).Status);

        await WaitForLogAsync(host, l => l.Contains($"[AUDIT] order_sent {id}", StringComparison.Ordinal) && l.Contains($"by {tradeId} from 127.0.0.1", StringComparison.Ordinal));
        await WaitForLogAsync(host, l => l.Contains($"[AUDIT] cancel_sent {id}", StringComparison.Ordinal) && l.Contains($"by {tradeId}", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await Post(gateway.Api(host), "/api/admin/keys/revoke", $$"""{"key_id":"{{tradeId}}"}""")).Status);
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Without_a_key_only_health_and_preflights_answer(string host)
    {
        using var anonymous = gateway.Anonymous(host);

        var (status, body) = await Get(anonymous, "/api/market");
        var (order, _) = await Post(anonymous, "/api/order", Order($"sec-anon-{host}"));
        using var wrong = gateway.WithKey(host, "vz_0123456789abcdef_" + new string('A', 43));
        var (wrongStatus, _) = await Get(wrong, "/api/config");
        var (health, _) = await Get(anonymous, "/health");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/order");
        preflight.Headers.Add("Origin", "https://dashboard.example");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key");
        using var preflightResponse = await anonymous.SendAsync(preflight, Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (status, body.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, order);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Contains("X-API-Key", preflightResponse.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Contains("Authorization", preflightResponse.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        await WaitForLogAsync(host, l => l.Contains("[AUDIT] auth_failure: missing_key for GET api/market from 127.0.0.1", StringComparison.Ordinal));
        await WaitForLogAsync(host, l => l.Contains("[AUDIT] auth_failure: invalid_key for GET api/config", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Cancel_only_refuses_new_orders_keeps_cancels_and_shows_in_config_and_health(string host)
    {
        var api = gateway.Api(host);
        var open = $"brake-open-{host}";
        Assert.Equal(HttpStatusCode.OK, (await Post(api, "/api/order", Order(open))).Status);
        try
        {
            var (switched, mode) = await Post(api, "/api/admin/trading_mode", """{"mode":"cancel_only"}""");
            Assert.Equal(HttpStatusCode.OK, switched);
            Assert.Equal("cancel_only", mode.GetProperty("trading_mode").GetString());

            var (refused, body) = await Post(api, "/api/order", Order($"brake-refused-{host}"));
            Assert.Equal((HttpStatusCode.Conflict, "cancel_only"), (refused, body.GetProperty("error").GetString()));
            Assert.Equal(HttpStatusCode.NotFound, (await Get(api, $"/api/order_state?client_order_id=brake-refused-{host}")).Status);
            Assert.Equal("cancel_only", (await Get(api, "/api/config")).Body.GetProperty("trading_mode").GetString());
            Assert.Equal("cancel_only", (await Get(api, "/health")).Body.GetProperty("components").GetProperty("trading_mode").GetString());

            var (all, allBody) = await Post(api, "/api/admin/cancel_all", "{}");
            Assert.Equal(HttpStatusCode.OK, all);
            Assert.Contains(open, allBody.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("CANCELLED", (await Get(api, $"/api/order_state?client_order_id={open}")).Body.GetProperty("status").GetString());
            await WaitForLogAsync(host, l => l.Contains("[AUDIT] trading_mode_changed normal -> cancel_only by bootstrap-admin from 127.0.0.1", StringComparison.Ordinal));
            await WaitForLogAsync(host, l => l.Contains($"[AUDIT] order_refused_cancel_only brake-refused-{host}", StringComparison.Ordinal));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Post(api, "/api/admin/trading_mode", """{"mode":"normal"}""")).Status);
            // The other host may have read the mode within the last second; let that read expire.
            await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
        }

        Assert.Equal("normal", (await Get(api, "/api/config")).Body.GetProperty("trading_mode").GetString());
    }

    private async Task<string> WaitForLogAsync(string host, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (ApiLogs(host).FirstOrDefault(match) is { } line)
            {
                return line;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no matching log line in the {host} API's output");
            await Task.Delay(100, Ct);
        }
    }
}
