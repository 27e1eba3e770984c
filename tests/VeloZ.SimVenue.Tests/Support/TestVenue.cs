using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace VeloZ.SimVenue.Tests.Support;

/// <summary>
/// A venue on a free loopback port with a fake clock (starting on a minute boundary) and a manual price
/// path, plus a raw HttpClient and small signing helpers. BTCUSDT starts at 50,000 with 0.6 BTC of
/// liquidity per tick, so a 1 BTC order fills in two ticks.
/// </summary>
internal sealed class TestVenue : IAsyncDisposable
{
    public const string Key = SimApiKey.VeloZTestApiKey;
    public const string Secret = SimApiKey.VeloZTestSecretKey;

    public static readonly DateTimeOffset Start = new(2026, 7, 21, 0, 0, 0, TimeSpan.Zero);

    private TestVenue(FakeTimeProvider time, SimVenueHandle venue)
    {
        Time = time;
        Venue = venue;
        Http = new HttpClient { BaseAddress = venue.RestBaseUri, Timeout = TimeSpan.FromSeconds(15) };
    }

    public FakeTimeProvider Time { get; }

    public SimVenueHandle Venue { get; }

    public HttpClient Http { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static SimSymbolOptions BtcUsdt(decimal liquidity = 0.6m) => new()
    {
        Symbol = "BTCUSDT",
        BaseAsset = "BTC",
        QuoteAsset = "USDT",
        StartPrice = 50_000m,
        LiquidityPerTick = liquidity,
    };

    public static async Task<TestVenue> StartAsync(Func<FakeTimeProvider, SimVenueOptions>? options = null, DateTimeOffset? start = null)
    {
        var time = new FakeTimeProvider(start ?? Start);
        var settings = options?.Invoke(time) ?? new SimVenueOptions
        {
            TimeProvider = time,
            PriceTickInterval = TimeSpan.Zero,
            Symbols = [BtcUsdt()],
        };
        var venue = await SimVenueServer.StartAsync(settings, TestContext.Current.CancellationToken);
        return new TestVenue(time, venue);
    }

    public async Task<ApiResponse> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(pathAndQuery, TestContext.Current.CancellationToken);
        return await ApiResponse.ReadAsync(response);
    }

    /// <summary>Signs <paramref name="query"/> + <c>&amp;timestamp=now</c> (unless it has one) and sends it in the query string.</summary>
    public async Task<ApiResponse> SignedAsync(HttpMethod method, string path, string query, string apiKey = Key, string secret = Secret)
    {
        var payload = query.Contains("timestamp=", StringComparison.Ordinal) ? query : $"{query}&timestamp={NowMs}";
        using var request = new HttpRequestMessage(method, $"{path}?{payload}&signature={Hmac.Sign(secret, payload)}");
        request.Headers.Add("X-MBX-APIKEY", apiKey);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return await ApiResponse.ReadAsync(response);
    }

    public Task<ApiResponse> PlaceAsync(string query, string apiKey = Key, string secret = Secret) =>
        SignedAsync(HttpMethod.Post, "/api/v3/order", query, apiKey, secret);

    public Task<ApiResponse> LimitBuyAsync(string quantity, string price, string clientOrderId) =>
        PlaceAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity={quantity}&price={price}&newClientOrderId={clientOrderId}");

    public async Task<JsonObject> OrderAsync(string clientOrderId)
    {
        var response = await SignedAsync(HttpMethod.Get, "/api/v3/order", $"symbol=BTCUSDT&origClientOrderId={clientOrderId}");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Object;
    }

    /// <summary>Balances from GET /api/v3/account, as (free, locked) strings.</summary>
    public async Task<(string Free, string Locked)> BalanceAsync(string asset)
    {
        var account = await SignedAsync(HttpMethod.Get, "/api/v3/account", "omitZeroBalances=false");
        var balance = account.Object["balances"]!.AsArray().Single(b => (string?)b!["asset"] == asset)!;
        return ((string)balance["free"]!, (string)balance["locked"]!);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Venue.DisposeAsync();
    }
}

/// <summary>A raw HTTP answer: status, parsed JSON body and headers.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)
{
    public JsonObject Object => Body!.AsObject();

    public int Code => (int)Body!["code"]!;

    public string Message => (string)Body!["msg"]!;

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new ApiResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers);
    }
}
