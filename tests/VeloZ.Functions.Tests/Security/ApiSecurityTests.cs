using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Security;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Security;

/// <summary>The authentication layer, limits and key management of the standalone API, in-process.</summary>
public sealed class ApiSecurityTests(AzuriteFixture azurite)
{
    private const string AdminKey = "test-admin-key-0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GatewayOptions Secured(GatewayOptions? options = null)
    {
        options = TestOptions.OnAzurite(azurite, options);
        return options with { Security = options.Security with { AuthEnabled = true, AdminApiKey = new Secret(AdminKey) } };
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Send(StandaloneApi api, HttpMethod method, string path, string? key = null, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        var response = await api.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone(), response);
    }

    private static async Task<string> CreateKey(StandaloneApi api, string scope, string name = "test key")
    {
        var (status, body, response) = await Send(api, HttpMethod.Post, "/api/admin/keys", AdminKey, $$"""{"name":"{{name}}","scope":"{{scope}}"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(scope, body.GetProperty("scope").GetString());
        return body.GetProperty("api_key").GetString()!;
    }

    [Fact]
    public async Task Without_a_key_every_endpoint_but_health_is_401_unauthorized()
    {
        await using var api = await StandaloneApi.StartAsync(Secured(new GatewayOptions { Security = new() { CorsOrigins = ["*"] } }));

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/config"), (HttpMethod.Get, "/api/market"), (HttpMethod.Get, "/api/orders_state"), (HttpMethod.Post, "/api/order"), (HttpMethod.Post, "/api/cancel"), (HttpMethod.Get, "/api/admin/keys") })
        {
            var (status, body, response) = await Send(api, method, path);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", body.GetProperty("error").GetString());
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        // Open without a key: /health answers its own status (503: no worker runs in these tests).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Send(api, HttpMethod.Get, "/health")).Status);
    }

    [Fact]
    public async Task A_read_key_reads_but_cannot_trade_or_administer()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var read = await CreateKey(api, "read");

        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/config", read)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/orders_state", read)).Status);
        foreach (var (method, path, json) in new[]
        {
            (HttpMethod.Post, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000,"client_order_id":"read-key-order"}"""),
            (HttpMethod.Post, "/api/cancel", """{"client_order_id":"read-key-order"}"""),
            (HttpMethod.Get, "/api/admin/keys", (string?)null),
            (HttpMethod.Post, "/api/admin/trading_mode", """{"mode":"cancel_only"}"""),
        })
        {
            var (status, body, _) = await Send(api, method, path, read, json);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("forbidden", body.GetProperty("error").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Send(api, HttpMethod.Get, "/api/order_state?client_order_id=read-key-order", read)).Status);
        Assert.Equal("normal", (await Send(api, HttpMethod.Get, "/api/config", read)).Body.GetProperty("trading_mode").GetString());
    }

    [Fact]
    public async Task A_trade_key_passes_the_trade_check_and_admin_keys_pass_everything()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var trade = await CreateKey(api, "trade");
        var admin = await CreateKey(api, "admin");

        // Past authorization the order meets the order path itself (here: no simulated venue → 500 execution_unavailable).
        var (status, body, _) = await Send(api, HttpMethod.Post, "/api/order", trade, """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000}""");
        Assert.Equal("execution_unavailable", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(api, HttpMethod.Get, "/api/admin/keys", trade)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/admin/keys", admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/market", admin)).Status);
    }

    [Fact]
    public async Task Keys_are_accepted_as_bearer_tokens_and_the_query_token_only_on_the_stream()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var read = await CreateKey(api, "read");

        var bearer = await Send(api, HttpMethod.Get, "/api/config", configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", read));
        var basic = await Send(api, HttpMethod.Get, "/api/config", configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", read));
        var query = await Send(api, HttpMethod.Get, "/api/config?access_token=" + Uri.EscapeDataString(read));

        Assert.Equal(HttpStatusCode.OK, bearer.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, query.Status);
    }

    [Fact]
    public async Task Wrong_tampered_and_revoked_keys_are_401()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var key = await CreateKey(api, "read", "to be revoked");
        var keyId = key.Split('_')[1];
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, HttpMethod.Get, "/api/config", "not-a-key")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, HttpMethod.Get, "/api/config", tampered)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, HttpMethod.Get, "/api/config", AdminKey + "x")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/config", key)).Status);

        var (revoked, revokedBody, _) = await Send(api, HttpMethod.Post, "/api/admin/keys/revoke", AdminKey, $$"""{"key_id":"{{keyId}}"}""");
        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.Equal(keyId, revokedBody.GetProperty("key_id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, HttpMethod.Get, "/api/config", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(api, HttpMethod.Post, "/api/admin/keys/revoke", AdminKey, """{"key_id":"0123456789abcdef"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(api, HttpMethod.Post, "/api/admin/keys/revoke", AdminKey, """{"key_id":"bootstrap-admin"}""")).Status);
    }

    private static async Task<HttpResponseMessage> OpenStream(StandaloneApi api, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
        request.Headers.Add("X-API-Key", key);
        return await api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    /// <summary>Reads the stream until it ends; false if it is still open after <paramref name="within"/>.</summary>
    private static async Task<bool> EndsWithin(HttpResponseMessage stream, TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(within);
        try
        {
            var body = await stream.Content.ReadAsStreamAsync(Ct);
            var buffer = new byte[4096];
            while (await body.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return false;
        }
        catch (HttpRequestException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Fact]
    public async Task A_key_holds_at_most_the_configured_number_of_streams()
    {
        await using var api = await StandaloneApi.StartAsync(Secured(new GatewayOptions { Api = new() { StreamsPerKey = 2 } }));
        var read = await CreateKey(api, "read");
        var other = await CreateKey(api, "read");

        using var first = await OpenStream(api, read);
        using var second = await OpenStream(api, read);
        var (status, body, response) = await Send(api, HttpMethod.Get, "/api/stream", read);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limited", body.GetProperty("error").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
        using var another = await OpenStream(api, other);
        Assert.Equal(HttpStatusCode.OK, another.StatusCode);

        // Closing one frees its place (once the server sees the client go).
        first.Dispose();
        var reopened = HttpStatusCode.TooManyRequests;
        for (var i = 0; i < 50 && reopened != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100, Ct);
            using var again = await OpenStream(api, read);
            reopened = again.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, reopened);
    }

    [Fact]
    public async Task Revoking_a_key_ends_its_open_streams()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var revoked = await CreateKey(api, "read", "revoked");
        var kept = await CreateKey(api, "read", "kept");
        using var stream = await OpenStream(api, revoked);
        using var other = await OpenStream(api, kept);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Post, "/api/admin/keys/revoke", AdminKey, $$"""{"key_id":"{{revoked.Split('_')[1]}}"}""")).Status);

        Assert.True(await EndsWithin(stream, TimeSpan.FromSeconds(2)));
        Assert.False(await EndsWithin(other, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_key_revoked_on_another_instance_loses_its_streams_within_the_key_cache_period()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var key = await CreateKey(api, "read");
        using var stream = await OpenStream(api, key);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        // Revoked in storage, not through this instance (as another API instance would).
        await api.Services.GetRequiredService<ApiKeyRepository>().RevokeAsync(key.Split('_')[1], DateTimeOffset.UtcNow, "elsewhere", Ct);

        Assert.True(await EndsWithin(stream, ApiKeyService.CacheFor + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Keys_are_listed_without_secrets_and_stored_only_as_hashes()
    {
        var options = Secured();
        await using var api = await StandaloneApi.StartAsync(options);
        var key = await CreateKey(api, "trade", "bot-1");

        var (_, list, _) = await Send(api, HttpMethod.Get, "/api/admin/keys", AdminKey);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(["key_id", "name", "scope", "created_ts_ns", "created_by", "revoked_ts_ns", "revoked_by"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("bot-1", item.GetProperty("name").GetString());
        Assert.Equal("bootstrap-admin", item.GetProperty("created_by").GetString());
        Assert.DoesNotContain(key, list.GetRawText(), StringComparison.Ordinal);
        // The secret part follows "vz_<16 hex>_" and may itself contain '_'.
        var secretPart = key[20..];
        Assert.DoesNotContain(secretPart, list.GetRawText(), StringComparison.Ordinal);

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(options.Storage.StoragePrefix + TableStore.ApiKeysTable);
        var row = Assert.Single(table.Query<TableEntity>(cancellationToken: Ct));
        var stored = string.Join("|", row.Select(p => $"{p.Key}={p.Value}"));
        Assert.DoesNotContain(secretPart, stored, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key))), row.GetString("Sha256"));
    }

    [Theory]
    [InlineData("""{"name":"x","scope":"root"}""", "scope")]
    [InlineData("""{"name":"x"}""", "scope")]
    [InlineData("""{"scope":"read"}""", "name")]
    [InlineData("""{"name":"line\nbreak","scope":"read"}""", "name")]
    [InlineData("""{"name":"0123456789012345678901234567890123456789012345678901234567890123456789","scope":"read"}""", "name")]
    public async Task Key_creation_validates_name_and_scope(string json, string field)
    {
        await using var api = await StandaloneApi.StartAsync(Secured());

        var (status, body, _) = await Send(api, HttpMethod.Post, "/api/admin/keys", AdminKey, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_preflight_needs_no_key_and_allows_the_auth_headers()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());

        var (status, _, response) = await Send(api, HttpMethod.Options, "/api/order", configure: r =>
        {
            r.Headers.Add("Origin", "https://dashboard.example");
            r.Headers.Add("Access-Control-Request-Method", "POST");
            r.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
        });

        Assert.Equal(HttpStatusCode.NoContent, status);
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',');
        Assert.Contains("X-API-Key", allowed);
        Assert.Contains("Authorization", allowed);
        Assert.Contains("Content-Type", allowed);
        Assert.Equal("Retry-After", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task Requests_over_the_burst_are_429_with_retry_after_per_key()
    {
        await using var api = await StandaloneApi.StartAsync(Secured(new GatewayOptions { Security = new() { RateLimitPerSecond = 1, RateLimitBurst = 3 } }));

        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        JsonElement limitedBody = default;
        for (var i = 0; i < 5; i++)
        {
            var (status, body, response) = await Send(api, HttpMethod.Get, "/api/config", AdminKey);
            answers.Add(status);
            if (status == HttpStatusCode.TooManyRequests)
            {
                (limited, limitedBody) = (response, body);
            }
        }

        Assert.Equal(HttpStatusCode.OK, answers[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.Equal("rate_limited", limitedBody.GetProperty("error").GetString());
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        // Anonymous requests are limited per IP, in their own bucket.
        // Open without a key: /health answers its own status (503: no worker runs in these tests).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Send(api, HttpMethod.Get, "/health")).Status);
    }

    [Fact]
    public async Task Repeated_failed_authentications_lock_the_address_out_with_429()
    {
        await using var api = await StandaloneApi.StartAsync(Secured(new GatewayOptions { Security = new() { AuthFailuresPerMinute = 3 } }));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await Send(api, HttpMethod.Get, "/api/config", $"vz_{i:x16}_{new string('A', 43)}")).Status);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send(api, HttpMethod.Get, "/api/config")).Status);
        // Open without a key: /health answers its own status (503: no worker runs in these tests).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Send(api, HttpMethod.Get, "/health")).Status);
    }

    [Fact]
    public async Task A_valid_key_is_admitted_from_an_address_locked_out_by_bad_keys()
    {
        await using var api = await StandaloneApi.StartAsync(Secured(new GatewayOptions { Security = new() { AuthFailuresPerMinute = 2 } }));
        var read = await CreateKey(api, "read");
        for (var i = 0; i < 4; i++)
        {
            await Send(api, HttpMethod.Get, "/api/config", $"vz_{i:x16}_{new string('A', 43)}");
        }

        // The address is locked out for keys that do not authenticate...
        var locked = await Send(api, HttpMethod.Get, "/api/config", "vz_00000000000000ff_" + new string('B', 43));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal("rate_limited", locked.Body.GetProperty("error").GetString());

        // ...but a valid key from the same address (another client behind the same NAT) gets through.
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/config", read)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/config", AdminKey)).Status);
    }

    [Fact]
    public async Task The_query_token_accepts_read_scope_keys_only()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        var read = await CreateKey(api, "read");
        var trade = await CreateKey(api, "trade");

        using var readStream = new HttpRequestMessage(HttpMethod.Get, "/api/stream?access_token=" + Uri.EscapeDataString(read));
        using var readAnswer = await api.Client.SendAsync(readStream, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, readAnswer.StatusCode);

        foreach (var key in new[] { trade, AdminKey })
        {
            var (status, body, _) = await Send(api, HttpMethod.Get, "/api/stream?access_token=" + Uri.EscapeDataString(key));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("forbidden", body.GetProperty("error").GetString());
            Assert.False(body.GetProperty("ok").GetBoolean());
        }
    }

    [Fact]
    public async Task A_huge_declared_body_is_answered_413_before_it_is_sent()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        using var socket = new TcpClient();
        await socket.ConnectAsync(api.Client.BaseAddress!.Host, api.Client.BaseAddress.Port, Ct);
        var stream = socket.GetStream();
        var head = $"POST /api/order HTTP/1.1\r\nHost: x\r\nX-API-Key: {AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{{\"side\":";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);

        // Nothing more is sent: the answer must come without the gigabyte.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("body_too_large", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413()
    {
        await using var api = await StandaloneApi.StartAsync(Secured());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/order");
        request.Headers.Add("X-API-Key", AdminKey);
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 100_000) + "\"}")));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await api.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("body_too_large", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_auth_off_no_key_is_needed_and_callers_are_anonymous()
    {
        var secured = Secured();
        await using var api = await StandaloneApi.StartAsync(secured with { Security = secured.Security with { AuthEnabled = false } });

        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/config")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/admin/trading_mode")).Status);
    }

    [Fact]
    public async Task Storage_down_means_no_key_is_accepted_503_not_401_or_200()
    {
        var secured = Secured();
        await using var api = await StandaloneApi.StartAsync(secured with { Storage = secured.Storage with { StorageConnectionString = new Secret(Ports.UnreachableStorageConnectionString()) } });

        var (status, body, _) = await Send(api, HttpMethod.Get, "/api/config", $"vz_{0:x16}_{new string('A', 43)}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("storage_unavailable", body.GetProperty("error").GetString());
        // The bootstrap key needs no storage.
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, "/api/config", AdminKey)).Status);
    }

    [Fact]
    public void The_services_resolve_auth_from_the_options()
    {
        var services = new ServiceCollection();
        var options = new GatewayOptions { Api = new() { Host = "0.0.0.0" } };
        services.AddVelozApi(options, ApiBinding.Standalone(options.Api));
        using var provider = services.BuildServiceProvider();

        Assert.True(provider.GetRequiredService<ApiAuthSettings>().Enabled);
    }
}
