using System.Text.Json;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Engine;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>
/// The venue's endpoints (Binance's rest-api.md, web-socket-api.md): parameter validation with Binance's error codes, filters, then
/// the matching engine. Transport-neutral: REST and the WebSocket API both call <see cref="Operations"/>.
/// </summary>
internal sealed class VenueApi
{
    private readonly MatchingEngine _engine;
    private readonly VenueClock _clock;
    private readonly RateLimiter _limiter;

    public VenueApi(MatchingEngine engine, VenueClock clock, RateLimiter limiter)
    {
        _engine = engine;
        _clock = clock;
        _limiter = limiter;
        Operations =
        [
            new("GET", "/api/v3/ping", "ping", false, OperationKind.Other, false, _ => 1, _ => new JsonObject()),
            new("GET", "/api/v3/time", "time", false, OperationKind.Other, false, _ => 1, _ => new JsonObject { ["serverTime"] = _clock.NowMs }),
            new("GET", "/api/v3/exchangeInfo", "exchangeInfo", false, OperationKind.Other, false, _ => 20, ExchangeInfo),
            new("GET", "/api/v3/ticker/price", "ticker.price", false, OperationKind.Other, false, SymbolWeight, TickerPrice),
            new("GET", "/api/v3/ticker/bookTicker", "ticker.book", false, OperationKind.Other, false, SymbolWeight, BookTicker),
            new("POST", "/api/v3/order", "order.place", true, OperationKind.PlaceOrder, true, _ => 1, PlaceOrder),
            new("POST", "/api/v3/order/test", "order.test", true, OperationKind.Other, false,
                r => r.Get("computeCommissionRates") == "true" ? 20 : 1, TestOrder),
            new("DELETE", "/api/v3/order", "order.cancel", true, OperationKind.CancelOrder, true, _ => 1, CancelOrder),
            new("GET", "/api/v3/order", "order.status", true, OperationKind.Other, false, _ => 4, QueryOrder),
            new("GET", "/api/v3/openOrders", "openOrders.status", true, OperationKind.Other, false, r => r.Has("symbol") ? 6 : 80, OpenOrders),
            new("GET", "/api/v3/account", "account.status", true, OperationKind.Other, false, _ => 20, Account),
            new("GET", "/api/v3/myTrades", "myTrades", true, OperationKind.Other, false, r => r.Has("orderId") ? 5 : 20, MyTrades),
        ];
    }

    public IReadOnlyList<VenueOperation> Operations { get; }

    private static int SymbolWeight(VenueRequest request) => request.Has("symbol") ? 2 : 4;

    private JsonObject ExchangeInfo(VenueRequest request)
    {
        var symbols = SelectSymbols(request);
        if (request.Get("symbolStatus") is { } status && status != "TRADING")
        {
            symbols = [];
        }

        return JsonViews.ExchangeInfo(symbols, _limiter, _clock.NowMs);
    }

    private JsonNode TickerPrice(VenueRequest request) => Tickers(request, book =>
        new JsonObject { ["symbol"] = book.Symbol, ["price"] = Wire.Dec(book.Price) });

    private JsonNode BookTicker(VenueRequest request) => Tickers(request, book => new JsonObject
    {
        ["symbol"] = book.Symbol,
        ["bidPrice"] = Wire.Dec(book.Bid),
        ["bidQty"] = Wire.Dec(book.BidQty),
        ["askPrice"] = Wire.Dec(book.Ask),
        ["askQty"] = Wire.Dec(book.AskQty),
    });

    private JsonNode Tickers(VenueRequest request, Func<BookSnapshot, JsonObject> view)
    {
        if (request.Has("symbol") && request.Has("symbols"))
        {
            throw VenueErrors.TooManyParameters();
        }

        var symbols = SelectSymbols(request);
        if (request.Has("symbol"))
        {
            return view(_engine.Book(symbols[0]));
        }

        var array = new JsonArray();
        foreach (var symbol in symbols)
        {
            array.Add(view(_engine.Book(symbol)));
        }

        return array;
    }

    /// <summary><c>symbol</c>, or <c>symbols</c> as a JSON array, or all symbols; unknown → -1121.</summary>
    private List<SymbolState> SelectSymbols(VenueRequest request)
    {
        if (request.Get("symbol") is { } one)
        {
            return [RequireSymbol(one)];
        }

        if (request.Get("symbols") is { } many)
        {
            string[]? names;
            try
            {
                names = JsonSerializer.Deserialize<string[]>(many);
            }
            catch (JsonException)
            {
                throw VenueErrors.IllegalChars("symbols", "^\\[\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}\\]$");
            }

            if (names is null || names.Length == 0)
            {
                throw VenueErrors.Mandatory("symbols");
            }

            return names.Select(RequireSymbol).ToList();
        }

        return _engine.Symbols.ToList();
    }

    private SymbolState RequireSymbol(string name) => _engine.FindSymbol(name) ?? throw VenueErrors.InvalidSymbol();

    private SymbolState RequireSymbol(VenueRequest request) => RequireSymbol(request.Require("symbol"));

    private JsonObject PlaceOrder(VenueRequest request)
    {
        var (order, responseType) = ParseNewOrder(request);
        var outcome = _engine.Place(request.RequireAccount, order);
        return responseType switch
        {
            "ACK" => JsonViews.Ack(outcome.Order),
            "RESULT" => JsonViews.Result(outcome.Order),
            _ => JsonViews.Full(outcome.Order, outcome.Fills),
        };
    }

    private JsonObject TestOrder(VenueRequest request)
    {
        var (order, _) = ParseNewOrder(request);
        if (request.Get("computeCommissionRates") != "true")
        {
            return new JsonObject();
        }

        static JsonObject Rates(decimal maker, decimal taker) => new() { ["maker"] = Wire.Dec(maker), ["taker"] = Wire.Dec(taker) };
        return new JsonObject
        {
            ["standardCommissionForOrder"] = Rates(_engine.MakerRate, _engine.TakerRate),
            ["specialCommissionForOrder"] = Rates(0m, 0m),
            ["taxCommissionForOrder"] = Rates(0m, 0m),
            ["discount"] = new JsonObject
            {
                ["enabledForAccount"] = false,
                ["enabledForSymbol"] = false,
                ["discountAsset"] = order.Symbol.Options.BaseAsset,
                ["discount"] = Wire.Dec(0m),
            },
        };
    }

    private (NewOrder Order, string ResponseType) ParseNewOrder(VenueRequest request)
    {
        var symbol = RequireSymbol(request);
        var options = symbol.Options;
        var side = request.Require("side") switch
        {
            "BUY" => OrderSide.Buy,
            "SELL" => OrderSide.Sell,
            _ => throw VenueErrors.InvalidSide(),
        };
        var type = request.Require("type") switch
        {
            "LIMIT" => OrderType.Limit,
            "LIMIT_MAKER" => OrderType.LimitMaker,
            "MARKET" => OrderType.Market,
            "STOP_LOSS" or "STOP_LOSS_LIMIT" or "TAKE_PROFIT" or "TAKE_PROFIT_LIMIT" => throw VenueErrors.NewOrderRejected("Unsupported order combination"),
            _ => throw VenueErrors.InvalidOrderType(),
        };
        var timeInForceText = type == OrderType.Limit ? request.Require("timeInForce") : request.Get("timeInForce");
        var timeInForce = timeInForceText switch
        {
            null or "GTC" => TimeInForce.Gtc,
            "IOC" => TimeInForce.Ioc,
            "FOK" => TimeInForce.Fok,
            _ => throw VenueErrors.InvalidTimeInForce(),
        };
        if (type != OrderType.Limit)
        {
            timeInForce = TimeInForce.Gtc;
        }

        decimal quantity = 0m, quoteOrderQty = 0m, price = 0m;
        if (type == OrderType.Market)
        {
            var hasQuantity = request.Has("quantity");
            var hasQuote = request.Has("quoteOrderQty");
            if (!hasQuantity && !hasQuote)
            {
                throw VenueErrors.EitherMandatory("quantity", "quoteOrderQty");
            }

            if (hasQuantity && hasQuote)
            {
                throw VenueErrors.TooManyParameters();
            }

            quantity = hasQuantity ? Decimal(request, "quantity", options.BaseAssetPrecision) : 0m;
            quoteOrderQty = hasQuote ? Decimal(request, "quoteOrderQty", options.QuoteAssetPrecision) : 0m;
        }
        else
        {
            quantity = Decimal(request, "quantity", options.BaseAssetPrecision);
            price = Decimal(request, "price", options.QuoteAssetPrecision);
        }

        var clientOrderId = request.Get("newClientOrderId");
        if (clientOrderId is not null && !Wire.ClientOrderId().IsMatch(clientOrderId))
        {
            throw VenueErrors.IllegalChars("newClientOrderId", Wire.ClientOrderIdPattern);
        }

        var responseType = request.Get("newOrderRespType") ?? (type == OrderType.LimitMaker ? "ACK" : "FULL");
        if (responseType is not ("ACK" or "RESULT" or "FULL"))
        {
            throw VenueErrors.Mandatory("newOrderRespType");
        }

        // Binance's modes (enums.md); every symbol here allows them all, with NONE as the default.
        var selfTradePreventionMode = request.Get("selfTradePreventionMode") ?? "NONE";
        if (!Wire.SelfTradePreventionModes.Contains(selfTradePreventionMode, StringComparer.Ordinal))
        {
            throw VenueErrors.Mandatory("selfTradePreventionMode");
        }

        ApplyFilters(symbol, type, price, quantity, quoteOrderQty);
        return (new NewOrder(symbol, side, type, timeInForce, price, quantity, quoteOrderQty, clientOrderId, selfTradePreventionMode), responseType);
    }

    /// <summary>PRICE_FILTER, LOT_SIZE, NOTIONAL / MIN_NOTIONAL as in Binance's filters.md; a rule whose value is 0 is off.</summary>
    private void ApplyFilters(SymbolState symbol, OrderType type, decimal price, decimal quantity, decimal quoteOrderQty)
    {
        var options = symbol.Options;
        if (type != OrderType.Market
            && ((options.MinPrice > 0 && price < options.MinPrice)
                || (options.MaxPrice > 0 && price > options.MaxPrice)
                || (options.TickSize > 0 && price % options.TickSize != 0)))
        {
            throw VenueErrors.FilterFailure("PRICE_FILTER");
        }

        if (quoteOrderQty == 0
            && ((options.MinQty > 0 && quantity < options.MinQty)
                || (options.MaxQty > 0 && quantity > options.MaxQty)
                || (options.StepSize > 0 && quantity % options.StepSize != 0)))
        {
            throw VenueErrors.FilterFailure("LOT_SIZE");
        }

        var notional = type != OrderType.Market ? price * quantity
            : quoteOrderQty > 0 ? quoteOrderQty
            : quantity * _engine.Book(symbol).Price;
        var filter = options.UseMinNotionalFilter ? "MIN_NOTIONAL" : "NOTIONAL";
        if (notional < options.MinNotional
            || (!options.UseMinNotionalFilter && type != OrderType.Market && options.MaxNotional > 0 && notional > options.MaxNotional))
        {
            throw VenueErrors.FilterFailure(filter);
        }
    }

    private static decimal Decimal(VenueRequest request, string name, int precision)
    {
        var text = request.Require(name);
        if (!Wire.Number().IsMatch(text))
        {
            throw VenueErrors.IllegalChars(name, Wire.NumberPattern);
        }

        if (Wire.SignificantDecimals(text) > precision)
        {
            throw VenueErrors.TooMuchPrecision(name);
        }

        return Wire.ParseInvariant(text);
    }

    private JsonObject CancelOrder(VenueRequest request)
    {
        var symbol = RequireSymbol(request);
        var (orderId, origClientOrderId) = OrderIds(request);
        var newClientOrderId = request.Get("newClientOrderId");
        if (newClientOrderId is not null && !Wire.ClientOrderId().IsMatch(newClientOrderId))
        {
            throw VenueErrors.IllegalChars("newClientOrderId", Wire.ClientOrderIdPattern);
        }

        var restriction = request.Get("cancelRestrictions") switch
        {
            null => CancelRestriction.None,
            "ONLY_NEW" => CancelRestriction.OnlyNew,
            "ONLY_PARTIALLY_FILLED" => CancelRestriction.OnlyPartiallyFilled,
            _ => throw VenueErrors.InvalidCancelRestrictions(),
        };
        return JsonViews.Canceled(_engine.Cancel(request.RequireAccount, symbol, orderId, origClientOrderId, newClientOrderId, restriction));
    }

    private JsonObject QueryOrder(VenueRequest request)
    {
        var symbol = RequireSymbol(request);
        var (orderId, origClientOrderId) = OrderIds(request);
        return JsonViews.Query(_engine.Query(request.RequireAccount, symbol, orderId, origClientOrderId));
    }

    private static (long? OrderId, string? OrigClientOrderId) OrderIds(VenueRequest request)
    {
        var orderId = Authenticator.ParseLong(request, "orderId");
        var origClientOrderId = request.Get("origClientOrderId");
        if (orderId is null && origClientOrderId is null)
        {
            throw VenueErrors.EitherMandatory("orderId", "origClientOrderId");
        }

        return (orderId, origClientOrderId);
    }

    private JsonArray OpenOrders(VenueRequest request)
    {
        var symbol = request.Has("symbol") ? RequireSymbol(request) : null;
        var array = new JsonArray();
        foreach (var order in _engine.OpenOrders(request.RequireAccount, symbol))
        {
            array.Add(JsonViews.Query(order));
        }

        return array;
    }

    private JsonObject Account(VenueRequest request) =>
        JsonViews.Account(_engine.Account(request.RequireAccount), _engine, request.Get("omitZeroBalances") == "true");

    private JsonArray MyTrades(VenueRequest request)
    {
        var symbol = RequireSymbol(request);
        var limit = Authenticator.ParseLong(request, "limit") ?? 500;
        if (limit > 1000)
        {
            throw VenueErrors.TooLarge("limit", "1000");
        }

        var startTime = Authenticator.ParseLong(request, "startTime");
        var endTime = Authenticator.ParseLong(request, "endTime");
        var trades = _engine.Trades(request.RequireAccount, symbol, Authenticator.ParseLong(request, "orderId"), startTime, endTime,
            Authenticator.ParseLong(request, "fromId"), (int)Math.Max(1, limit));
        var array = new JsonArray();
        foreach (var trade in trades)
        {
            array.Add(JsonViews.Trade(trade));
        }

        return array;
    }
}
