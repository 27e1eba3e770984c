using System.Globalization;
using System.Net;
using System.Text.Json;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>The gateway of <see cref="GatewayFixture"/>, following three symbols (<c>VELOZ_MARKET_SYMBOLS</c>).</summary>
public sealed class SeveralSymbolsGatewayFixture(AzuriteFixture azurite) : GatewayFixture(azurite)
{
    public static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "BNBUSDT"];

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["VELOZ_MARKET_SYMBOLS"] = "btcusdt, ETHUSDT ,BnbUsdt",
    };
}

[CollectionDefinition(Name)]
public sealed class SeveralSymbolsGroup : ICollectionFixture<SeveralSymbolsGatewayFixture>
{
    public const string Name = "several symbols";
}

/// <summary>
/// Three symbols in <c>sim_engine</c> mode, in both hosts: three moving prices on <c>/api/stream</c>, each symbol's
/// latest price on <c>/api/market?symbol=</c>, and orders on a symbol other than the first, under that symbol's rules.
/// </summary>
[Collection(SeveralSymbolsGroup.Name)]
public sealed class SeveralSymbolsEndToEndTests(SeveralSymbolsGatewayFixture gateway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static decimal PriceOf(StreamEvent e)
    {
        using var document = JsonDocument.Parse(e.Data);
        return document.RootElement.GetProperty("price").GetDecimal();
    }

    private static string SymbolOf(StreamEvent e)
    {
        using var document = JsonDocument.Parse(e.Data);
        return document.RootElement.GetProperty("symbol").GetString()!;
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Three_symbols_show_three_moving_prices_on_the_stream(string host)
    {
        await using var stream = StreamRecorder.Start(gateway.Api(host).BaseAddress!, gateway.AdminKey);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Dictionary<string, List<decimal>> prices;
        while (true)
        {
            prices = stream.Events.Where(e => e.Type == "market")
                .GroupBy(SymbolOf)
                .ToDictionary(g => g.Key, g => g.Select(PriceOf).ToList(), StringComparer.Ordinal);
            if (SeveralSymbolsGatewayFixture.Symbols.All(s => prices.TryGetValue(s, out var seen) && seen.Count >= 2 && seen.Distinct().Count() >= 2))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not every symbol moved on the stream: {string.Join("; ", prices.Select(p => $"{p.Key}: {p.Value.Count}"))}; breaks: {string.Join(", ", stream.Breaks)}");
            await Task.Delay(200, Ct);
        }

        // Only the followed symbols, each on its own path: ETHUSDT near 3,000 and BNBUSDT near 600, BTCUSDT at the configured start.
        Assert.Equal(SeveralSymbolsGatewayFixture.Symbols.Order(StringComparer.Ordinal), prices.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(prices["BTCUSDT"][^1], 40_000m, 44_000m);
        Assert.InRange(prices["ETHUSDT"][^1], 2_000m, 4_000m);
        Assert.InRange(prices["BNBUSDT"][^1], 400m, 800m);

        // /api/market answers each symbol's own latest price; the first is the default.
        var api = gateway.Api(host);
        foreach (var (path, symbol) in new[] { ("/api/market", "BTCUSDT"), ("/api/market?symbol=ethusdt", "ETHUSDT"), ("/api/market?symbol=BNBUSDT", "BNBUSDT") })
        {
            var market = await OrderWalkthrough.EventuallyAsync(api, path, m => m.GetProperty("price").ValueKind == JsonValueKind.Number);
            Assert.Equal(symbol, market.GetProperty("symbol").GetString());
            var price = market.GetProperty("price").GetDecimal();
            Assert.InRange(price, prices[symbol].Min() * 0.9m, prices[symbol].Max() * 1.1m);
        }

        using var notFollowed = await api.GetAsync("/api/market?symbol=LTCUSDT", Ct);
        Assert.Equal(HttpStatusCode.NotFound, notFollowed.StatusCode);
        using var malformed = await api.GetAsync("/api/market?symbol=ETH-USDT", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var config = await OrderWalkthrough.GetAsync(api, "/api/config");
        Assert.Equal("BTCUSDT", config.GetProperty("market_symbol").GetString());
        Assert.Equal(SeveralSymbolsGatewayFixture.Symbols, config.GetProperty("market_symbols").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task An_order_on_a_symbol_other_than_the_first_rests_and_fills_under_that_symbols_rules(string host)
    {
        var api = gateway.Api(host);
        var eth = Assert.Single((await OrderWalkthrough.GetAsync(api, "/api/symbols?symbol=ETHUSDT")).GetProperty("symbols").EnumerateArray());
        Assert.Equal("ETH", eth.GetProperty("base_asset").GetString());
        Assert.Equal(0.0001m, eth.GetProperty("lot_size").GetProperty("step_size").GetDecimal());

        // A quantity BTCUSDT would take (step 0.00001) is off ETHUSDT's step: refused by ETHUSDT's LOT_SIZE before the venue.
        var (refused, refusal) = await OrderWalkthrough.PostAsync(api, "/api/order", """{"side":"BUY","symbol":"ETHUSDT","qty":0.01001,"price":1000.00}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("filter_violation", refusal.GetProperty("error").GetString());
        Assert.Equal("LOT_SIZE", refusal.GetProperty("filter").GetString());

        var market = await OrderWalkthrough.EventuallyAsync(api, "/api/market?symbol=ETHUSDT", m => m.GetProperty("price").ValueKind == JsonValueKind.Number);
        var price = market.GetProperty("price").GetDecimal();

        // Far below ETHUSDT's market (but far above nothing in BTCUSDT's terms): it rests.
        var resting = $"eth-rest-{host}";
        var low = Math.Round(price / 2, 2).ToString(CultureInfo.InvariantCulture);
        var (placed, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"ethusdt","qty":0.01,"price":{{low}},"client_order_id":"{{resting}}"}""");
        Assert.True(placed == HttpStatusCode.OK, $"place answered {(int)placed}: {body}");
        var state = await OrderWalkthrough.GetAsync(api, $"/api/order_state?client_order_id={resting}");
        Assert.Equal("ETHUSDT", state.GetProperty("symbol").GetString());
        Assert.Equal("ACCEPTED", state.GetProperty("status").GetString());
        var (cancelled, _) = await OrderWalkthrough.PostAsync(api, "/api/cancel", $$"""{"client_order_id":"{{resting}}","symbol":"ETHUSDT"}""");
        Assert.Equal(HttpStatusCode.OK, cancelled);

        // Above ETHUSDT's market: it takes the simulated market's ETH liquidity at ETHUSDT's own price, not BTCUSDT's.
        var taking = $"eth-fill-{host}";
        var high = Math.Round(price * 1.2m, 2).ToString(CultureInfo.InvariantCulture);
        (placed, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"ETHUSDT","qty":0.01,"price":{{high}},"client_order_id":"{{taking}}"}""");
        Assert.True(placed == HttpStatusCode.OK, $"place answered {(int)placed}: {body}");
        var filled = await OrderWalkthrough.EventuallyAsync(api, $"/api/order_state?client_order_id={taking}", s => s.GetProperty("status").GetString() == "FILLED");
        Assert.Equal(0.01m, filled.GetProperty("executed_qty").GetDecimal());
        Assert.InRange(filled.GetProperty("avg_price").GetDecimal(), price * 0.9m, price * 1.1m);
    }
}
