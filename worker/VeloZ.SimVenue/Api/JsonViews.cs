using System.Text.Json.Nodes;
using VeloZ.SimVenue.Engine;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>Response shapes of the REST / WebSocket API endpoints (Binance's rest-api.md), Binance's field names and spelling.</summary>
internal static class JsonViews
{
    public static JsonObject Ack(OrderSnapshot order) => new()
    {
        ["symbol"] = order.Symbol,
        ["orderId"] = order.OrderId,
        ["orderListId"] = -1,
        ["clientOrderId"] = order.ClientOrderId,
        ["transactTime"] = order.Time,
    };

    public static JsonObject Result(OrderSnapshot order)
    {
        var result = Ack(order);
        result["price"] = Wire.Dec(order.Price);
        result["origQty"] = Wire.Dec(order.OrigQty);
        result["executedQty"] = Wire.Dec(order.ExecutedQty);
        result["origQuoteOrderQty"] = Wire.Dec(order.OrigQuoteOrderQty);
        result["cummulativeQuoteQty"] = Wire.Dec(order.CumulativeQuoteQty);
        result["status"] = order.Status.Wire();
        result["timeInForce"] = order.TimeInForce.Wire();
        result["type"] = order.Type.Wire();
        result["side"] = order.Side.Wire();
        result["workingTime"] = order.WorkingTime ?? -1;
        result["selfTradePreventionMode"] = order.SelfTradePreventionMode;
        if (order.Status == OrderStatus.Expired)
        {
            result["expiryReason"] = order.ExpiryReason;
        }

        return result;
    }

    public static JsonObject Full(OrderSnapshot order, IReadOnlyList<SimTrade> fills)
    {
        var result = Result(order);
        var array = new JsonArray();
        foreach (var fill in fills)
        {
            array.Add(new JsonObject
            {
                ["price"] = Wire.Dec(fill.Price),
                ["qty"] = Wire.Dec(fill.Qty),
                ["commission"] = Wire.Dec(fill.Commission),
                ["commissionAsset"] = fill.CommissionAsset,
                ["tradeId"] = fill.Id,
            });
        }

        result["fills"] = array;
        return result;
    }

    public static JsonObject Query(OrderSnapshot order)
    {
        var result = new JsonObject
        {
            ["symbol"] = order.Symbol,
            ["orderId"] = order.OrderId,
            ["orderListId"] = -1,
            ["clientOrderId"] = order.ClientOrderId,
            ["price"] = Wire.Dec(order.Price),
            ["origQty"] = Wire.Dec(order.OrigQty),
            ["executedQty"] = Wire.Dec(order.ExecutedQty),
            ["cummulativeQuoteQty"] = Wire.Dec(order.CumulativeQuoteQty),
            ["status"] = order.Status.Wire(),
            ["timeInForce"] = order.TimeInForce.Wire(),
            ["type"] = order.Type.Wire(),
            ["side"] = order.Side.Wire(),
            ["stopPrice"] = Wire.Dec(0m),
            ["icebergQty"] = Wire.Dec(0m),
            ["time"] = order.Time,
            ["updateTime"] = order.UpdateTime,
            ["isWorking"] = order.Status.IsOpen() && order.Type != OrderType.Market,
            ["workingTime"] = order.WorkingTime ?? -1,
            ["origQuoteOrderQty"] = Wire.Dec(order.OrigQuoteOrderQty),
            ["selfTradePreventionMode"] = order.SelfTradePreventionMode,
        };
        if (order.Status == OrderStatus.Expired)
        {
            result["expiryReason"] = order.ExpiryReason;
        }

        return result;
    }

    public static JsonObject Canceled(CancelOutcome outcome)
    {
        var order = outcome.Order;
        return new JsonObject
        {
            ["symbol"] = order.Symbol,
            ["origClientOrderId"] = outcome.OriginalClientOrderId,
            ["orderId"] = order.OrderId,
            ["orderListId"] = -1,
            ["clientOrderId"] = order.ClientOrderId,
            ["transactTime"] = outcome.TransactTime,
            ["price"] = Wire.Dec(order.Price),
            ["origQty"] = Wire.Dec(order.OrigQty),
            ["executedQty"] = Wire.Dec(order.ExecutedQty),
            ["origQuoteOrderQty"] = Wire.Dec(order.OrigQuoteOrderQty),
            ["cummulativeQuoteQty"] = Wire.Dec(order.CumulativeQuoteQty),
            ["status"] = order.Status.Wire(),
            ["timeInForce"] = order.TimeInForce.Wire(),
            ["type"] = order.Type.Wire(),
            ["side"] = order.Side.Wire(),
            ["selfTradePreventionMode"] = order.SelfTradePreventionMode,
        };
    }

    public static JsonObject Trade(SimTrade trade) => new()
    {
        ["symbol"] = trade.Symbol,
        ["id"] = trade.Id,
        ["orderId"] = trade.OrderId,
        ["orderListId"] = -1,
        ["price"] = Wire.Dec(trade.Price),
        ["qty"] = Wire.Dec(trade.Qty),
        ["quoteQty"] = Wire.Dec(trade.QuoteQty),
        ["commission"] = Wire.Dec(trade.Commission),
        ["commissionAsset"] = trade.CommissionAsset,
        ["time"] = trade.Time,
        ["isBuyer"] = trade.IsBuyer,
        ["isMaker"] = trade.IsMaker,
        ["isBestMatch"] = true,
    };

    public static JsonObject Account(AccountSnapshot account, MatchingEngine engine, bool omitZeroBalances)
    {
        var balances = new JsonArray();
        foreach (var (asset, free, locked) in account.Balances)
        {
            if (!omitZeroBalances || free != 0 || locked != 0)
            {
                balances.Add(new JsonObject { ["asset"] = asset, ["free"] = Wire.Dec(free), ["locked"] = Wire.Dec(locked) });
            }
        }

        return new JsonObject
        {
            ["makerCommission"] = engine.MakerCommissionBps,
            ["takerCommission"] = engine.TakerCommissionBps,
            ["buyerCommission"] = 0,
            ["sellerCommission"] = 0,
            ["commissionRates"] = new JsonObject
            {
                ["maker"] = Wire.Dec(engine.MakerRate),
                ["taker"] = Wire.Dec(engine.TakerRate),
                ["buyer"] = Wire.Dec(0m),
                ["seller"] = Wire.Dec(0m),
            },
            ["canTrade"] = account.CanTrade,
            ["canWithdraw"] = true,
            ["canDeposit"] = true,
            ["brokered"] = false,
            ["requireSelfTradePrevention"] = false,
            ["preventSor"] = false,
            ["updateTime"] = account.UpdateTime,
            ["accountType"] = "SPOT",
            ["balances"] = balances,
            ["permissions"] = new JsonArray("SPOT"),
            ["uid"] = account.Uid,
        };
    }

    public static JsonObject ExchangeInfo(IEnumerable<SymbolState> symbols, RateLimiter limiter, long serverTime)
    {
        var list = new JsonArray();
        foreach (var symbol in symbols)
        {
            list.Add(Symbol(symbol.Options));
        }

        return new JsonObject
        {
            ["timezone"] = "UTC",
            ["serverTime"] = serverTime,
            ["rateLimits"] = new JsonArray(
                RateLimit("REQUEST_WEIGHT", "MINUTE", 1, limiter.WeightLimit),
                RateLimit("ORDERS", "SECOND", 10, limiter.OrdersPer10Seconds),
                RateLimit("ORDERS", "DAY", 1, limiter.OrdersPerDay),
                RateLimit("RAW_REQUESTS", "MINUTE", 5, 300_000)),
            ["exchangeFilters"] = new JsonArray(),
            ["symbols"] = list,
        };
    }

    public static JsonObject RateLimit(string type, string interval, int intervalNum, int limit, int? count = null)
    {
        var node = new JsonObject { ["rateLimitType"] = type, ["interval"] = interval, ["intervalNum"] = intervalNum, ["limit"] = limit };
        if (count is { } value)
        {
            node["count"] = value;
        }

        return node;
    }

    private static JsonObject Symbol(SimSymbolOptions options)
    {
        var notional = options.UseMinNotionalFilter
            ? new JsonObject
            {
                ["filterType"] = "MIN_NOTIONAL",
                ["minNotional"] = Wire.Dec(options.MinNotional),
                ["applyToMarket"] = true,
                ["avgPriceMins"] = 5,
            }
            : new JsonObject
            {
                ["filterType"] = "NOTIONAL",
                ["minNotional"] = Wire.Dec(options.MinNotional),
                ["applyMinToMarket"] = true,
                ["maxNotional"] = Wire.Dec(options.MaxNotional),
                ["applyMaxToMarket"] = false,
                ["avgPriceMins"] = 5,
            };
        return new JsonObject
        {
            ["symbol"] = options.Symbol,
            ["status"] = "TRADING",
            ["baseAsset"] = options.BaseAsset,
            ["baseAssetPrecision"] = options.BaseAssetPrecision,
            ["quoteAsset"] = options.QuoteAsset,
            ["quotePrecision"] = options.QuoteAssetPrecision,
            ["quoteAssetPrecision"] = options.QuoteAssetPrecision,
            ["baseCommissionPrecision"] = options.BaseAssetPrecision,
            ["quoteCommissionPrecision"] = options.QuoteAssetPrecision,
            ["orderTypes"] = new JsonArray("LIMIT", "LIMIT_MAKER", "MARKET"),
            ["icebergAllowed"] = false,
            ["ocoAllowed"] = false,
            ["otoAllowed"] = false,
            ["opoAllowed"] = false,
            ["quoteOrderQtyMarketAllowed"] = true,
            ["allowTrailingStop"] = false,
            ["cancelReplaceAllowed"] = false,
            ["amendAllowed"] = false,
            ["pegInstructionsAllowed"] = false,
            ["isSpotTradingAllowed"] = true,
            ["isMarginTradingAllowed"] = false,
            ["filters"] = new JsonArray(
                new JsonObject
                {
                    ["filterType"] = "PRICE_FILTER",
                    ["minPrice"] = Wire.Dec(options.MinPrice),
                    ["maxPrice"] = Wire.Dec(options.MaxPrice),
                    ["tickSize"] = Wire.Dec(options.TickSize),
                },
                new JsonObject
                {
                    ["filterType"] = "LOT_SIZE",
                    ["minQty"] = Wire.Dec(options.MinQty),
                    ["maxQty"] = Wire.Dec(options.MaxQty),
                    ["stepSize"] = Wire.Dec(options.StepSize),
                },
                notional),
            ["permissions"] = new JsonArray(),
            ["permissionSets"] = new JsonArray(new JsonArray("SPOT")),
            ["defaultSelfTradePreventionMode"] = "NONE",
            ["allowedSelfTradePreventionModes"] = new JsonArray([.. Wire.SelfTradePreventionModes.Select(m => (JsonNode?)m)]),
        };
    }
}
