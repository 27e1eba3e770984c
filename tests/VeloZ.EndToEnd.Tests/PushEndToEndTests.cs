using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>The push channel as clients use it: SSE <c>/api/stream</c> (live, resumed), SignalR through negotiate, <c>/api/orders</c>.</summary>
[Collection(GatewayGroup.Name)]
public sealed class PushEndToEndTests(GatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Stream_sends_live_events_in_the_seed_wire_format(string host)
    {
        await using var stream = await SseClient.OpenAsync(gateway.Api(host), "/api/stream", cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", stream.Response.Content.Headers.ContentType?.CharSet);
        Assert.True(stream.Response.Headers.CacheControl?.NoCache, "Cache-Control: no-cache");

        var events = await stream.CollectAsync(l => l.Count(e => e.Event == "market") >= 4, TimeSpan.FromSeconds(20));
        var market = events.Where(e => e.Event == "market").ToList();
        Assert.True(market.Count >= 4, $"only {market.Count} market events in 20 s");
        foreach (var e in market)
        {
            using var data = JsonDocument.Parse(e.Data);
            Assert.Equal("market", data.RootElement.GetProperty("type").GetString());
            Assert.Equal("BTCUSDT", data.RootElement.GetProperty("symbol").GetString());
            Assert.True(data.RootElement.GetProperty("price").GetDecimal() > 0m);
            Assert.True(data.RootElement.GetProperty("ts_ns").GetInt64() > 1_700_000_000_000_000_000);
        }

        // One id per event across the gateway: consecutive events of one stream are consecutive ids.
        for (var i = 1; i < events.Count; i++)
        {
            Assert.Equal(events[i - 1].Id + 1, events[i].Id);
        }
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Resuming_replays_from_the_log_then_continues_live_with_no_gap_or_duplicate_during_a_burst(string host)
    {
        var api = gateway.Api(host);
        await using var live = await SseClient.OpenAsync(api, "/api/stream", cancellationToken: Ct);
        var liveEvents = await live.CollectAsync(l => l.Count >= 1, TimeSpan.FromSeconds(20));
        var firstLiveId = liveEvents[0].Id!.Value;

        var prefix = $"seam{host[0]}{Environment.TickCount64 % 100000}x";
        // Small enough to stay inside the venue's order rate limit while other tests trade too.
        var ids = Enumerable.Range(0, 8).Select(i => $"{prefix}{i}").ToList();
        var burst = Task.WhenAll(ids.Select(id => OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"{{id}}"}""")));
        await Task.Delay(150, Ct);
        // Resume from just before the live client's first event while the burst is being sequenced: the
        // replay and the live part overlap, which is exactly the seam.
        await using var resumed = host == ApiHosts.Standalone
            ? await SseClient.OpenAsync(api, $"/api/stream?last_id={firstLiveId - 1}", cancellationToken: Ct)
            : await SseClient.OpenAsync(api, "/api/stream", lastEventId: (firstLiveId - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Ct);
        foreach (var (status, body) in await burst)
        {
            Assert.True(status == HttpStatusCode.OK, $"order answered {(int)status}: {body}");
        }

        bool SawAll(IReadOnlyList<SseEvent> events) => ids.All(id => events.Any(e => e.Event == "order_state" && e.Data.Contains($"\"{id}\"", StringComparison.Ordinal)));
        await live.CollectAsync(SawAll, TimeSpan.FromSeconds(30), liveEvents);
        var resumedEvents = await resumed.CollectAsync(SawAll, TimeSpan.FromSeconds(30));
        Assert.True(SawAll(liveEvents), "the live client missed order events of the burst");
        Assert.True(SawAll(resumedEvents), "the resumed client missed order events of the burst");

        // The replay starts at the first logged event at or after the live client's first (ticks are logged conflated).
        Assert.InRange(resumedEvents[0].Id!.Value, firstLiveId, firstLiveId + 8);
        for (var i = 1; i < resumedEvents.Count; i++)
        {
            Assert.True(resumedEvents[i].Id > resumedEvents[i - 1].Id, $"ids went {resumedEvents[i - 1].Id} → {resumedEvents[i].Id}");
        }

        // Every event the live client saw that is kept in the log (all but market ticks) reached the resumed client too.
        var resumedIds = resumedEvents.Select(e => e.Id).ToHashSet();
        var lastResumed = resumedEvents[^1].Id;
        var missing = liveEvents.Where(e => e.Event != "market" && e.Id <= lastResumed && !resumedIds.Contains(e.Id)).Select(e => $"{e.Id}:{e.Event}").ToList();
        Assert.True(missing.Count == 0, $"missing after resume: {string.Join(", ", missing)}");

        foreach (var events in new[] { liveEvents, resumedEvents })
        {
            foreach (var id in ids)
            {
                var accepted = events.Count(e => e.Event == "order_update" && e.Data.Contains($"\"{id}\"", StringComparison.Ordinal) && e.Data.Contains("\"ACCEPTED\"", StringComparison.Ordinal));
                Assert.True(accepted == 1, $"{id}: {accepted} ACCEPTED updates");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Orders_lists_recent_order_events_newest_last(string host)
    {
        var api = gateway.Api(host);
        var id = $"feed{host[0]}{Environment.TickCount64 % 1000000}";
        var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"{{id}}"}""");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var (cancelled, cancelBody) = await OrderWalkthrough.PostAsync(api, "/api/cancel", $$"""{"client_order_id":"{{id}}"}""");
        Assert.True(cancelled == HttpStatusCode.OK, cancelBody.ToString());

        var feed = await OrderWalkthrough.EventuallyAsync(api, "/api/orders", b => b.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("client_order_id").GetString() == id && e.GetProperty("status").GetString() == "CANCELLED"));
        var items = feed.GetProperty("items").EnumerateArray().ToList();
        Assert.InRange(items.Count, 1, 200);
        Assert.All(items, e => Assert.Contains(e.GetProperty("type").GetString(), new[] { "order_update", "fill", "error" }));
        var itemIds = items.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(itemIds.Order(), itemIds);
        var mine = items.Where(e => e.TryGetProperty("client_order_id", out var c) && c.GetString() == id).Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal(["ACCEPTED", "CANCELLED"], mine.Where(s => s != "PENDING"));
    }

    public static TheoryData<string, HttpTransportType> HostsAndTransports()
    {
        var data = new TheoryData<string, HttpTransportType>();
        foreach (var host in ApiHosts.Enabled)
        {
            data.Add(host, HttpTransportType.WebSockets);
            data.Add(host, HttpTransportType.ServerSentEvents);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostsAndTransports))]
    public async Task A_SignalR_client_connects_through_negotiate_and_receives_events_with_ids(string host, HttpTransportType transport)
    {
        var api = gateway.Api(host);
        var received = new ConcurrentQueue<(string Target, JsonElement Argument)>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api.BaseAddress!, "/api"), transport, o => o.Headers["X-API-Key"] = gateway.AdminKey)
            .Build();
        foreach (var target in new[] { "market", "order_update", "order_state" })
        {
            connection.On<JsonElement>(target, argument => received.Enqueue((target, argument)));
        }

        await connection.StartAsync(Ct);
        var id = $"sr{host[0]}{(int)transport}{Environment.TickCount64 % 1000000}";
        var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"{{id}}"}""");
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!received.Any(r => r.Target == "order_update" && r.Argument.GetProperty("client_order_id").GetString() == id) || received.Count(r => r.Target == "market") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{transport}: saw {received.Count} messages, not the order's update and two ticks");
            await Task.Delay(100, Ct);
        }

        var all = received.ToList();
        Assert.All(all, r => Assert.Equal(r.Target, r.Argument.GetProperty("type").GetString()));
        var ids = all.Select(r => r.Argument.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var update = all.First(r => r.Target == "order_update" && r.Argument.GetProperty("client_order_id").GetString() == id).Argument;
        Assert.Equal("BTCUSDT", update.GetProperty("symbol").GetString());
        Assert.Equal(0.001m, update.GetProperty("qty").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Negotiate_answers_a_url_and_a_short_lived_token(string host)
    {
        using var response = await gateway.Api(host).PostAsync("/api/negotiate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var url = body.RootElement.GetProperty("url").GetString()!;
        Assert.EndsWith("/client/?hub=veloz", url, StringComparison.Ordinal);
        var token = body.RootElement.GetProperty("accessToken").GetString()!;
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        using var claims = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
        Assert.Equal(url, claims.RootElement.GetProperty("aud").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task A_stream_resumed_with_a_bad_last_id_is_refused_with_bad_params()
    {
        var api = gateway.Api(ApiHosts.Enabled[0]);
        using var response = await api.GetAsync("/api/stream?last_id=abc", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"bad_params\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Revoking_a_key_ends_its_streams_and_hub_connections(string host)
    {
        var admin = gateway.Api(host);
        using var created = await admin.PostAsync("/api/admin/keys", new StringContent("""{"name":"revoked-in-e2e","scope":"read"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var createdBody = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        var key = createdBody.RootElement.GetProperty("api_key").GetString()!;
        var keyId = createdBody.RootElement.GetProperty("key_id").GetString()!;
        using var client = gateway.WithKey(host, key);

        using var stream = await client.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(client.BaseAddress!, "/api"), HttpTransportType.WebSockets, o => o.Headers["X-API-Key"] = key)
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync(Ct);

        using var revoked = await admin.PostAsync("/api/admin/keys/revoke", new StringContent($$"""{"key_id":"{{keyId}}"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var started = DateTime.UtcNow;

        // Both end within the key cache period (5 s), with a second of slack for the processes' own timing.
        using var within = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        within.CancelAfter(TimeSpan.FromSeconds(6));
        var body = await stream.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[4096];
        try
        {
            while (await body.ReadAsync(buffer, within.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // The server ended the response.
        }

        await closed.Task.WaitAsync(within.Token);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(6));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }
}
