using System.Text.Json.Nodes;
using VeloZ.SimVenue.Api;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Engine;

/// <summary>An order the API layer has validated (symbol known, filters passed).</summary>
internal sealed record NewOrder(
    SymbolState Symbol,
    OrderSide Side,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal Price,
    decimal Quantity,
    decimal QuoteOrderQty,
    string? ClientOrderId,
    string SelfTradePreventionMode = "NONE");

internal sealed record PlaceOutcome(OrderSnapshot Order, IReadOnlyList<SimTrade> Fills);

internal sealed record CancelOutcome(OrderSnapshot Order, string OriginalClientOrderId, long TransactTime);

internal sealed record BookSnapshot(string Symbol, decimal Price, decimal Bid, decimal BidQty, decimal Ask, decimal AskQty);

internal sealed record MiniTickerSnapshot(string Symbol, string StreamName, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal QuoteVolume);

internal sealed record AccountSnapshot(long Uid, bool CanTrade, long UpdateTime, IReadOnlyList<(string Asset, decimal Free, decimal Locked)> Balances);

/// <summary>
/// The venue's single-threaded core: all account and market state changes happen under one lock, in
/// a deterministic order (same seed + same calls = same prices, ids and fills).
/// <para>Matching model: the simulated market quotes bid = last price, ask = last price + one tick, and
/// offers <see cref="SimSymbolOptions.LiquidityPerTick"/> base quantity per side per tick. An incoming
/// order that crosses takes that liquidity at the ask/bid (taker); a resting BUY fills at its own limit
/// price (maker) when the price path falls to or below it, a resting SELL when it rises to or above it,
/// in price-time priority, limited by the tick's liquidity — which is what produces partial fills.</para>
/// </summary>
internal sealed class MatchingEngine
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly long s_windowMs = (long)TimeSpan.FromHours(24).TotalMilliseconds;

    private readonly Lock _gate = new();
    private readonly VenueClock _clock;
    private readonly IVenueEventSink _events;
    private readonly SimVenueCounters _counters;
    private readonly decimal _makerRate;
    private readonly decimal _takerRate;
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimAccount> _accounts = new(StringComparer.Ordinal);
    private readonly Random _idRandom;
    private long _nextOrderId = 1;
    private long _nextExecutionId = 1;

    public MatchingEngine(SimVenueOptions options, VenueClock clock, IVenueEventSink events, SimVenueCounters counters)
    {
        _clock = clock;
        _events = events;
        _counters = counters;
        _makerRate = options.MakerCommissionRate;
        _takerRate = options.TakerCommissionRate;
        _idRandom = new Random(unchecked(options.Seed * 31 + 7));
        for (var i = 0; i < options.Symbols.Count; i++)
        {
            var symbol = options.Symbols[i];
            _symbols[symbol.Symbol] = new SymbolState(symbol, unchecked(options.Seed + (i * 7919)));
        }

        var now = clock.NowMs;
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var account = new SimAccount(options.ApiKeys[i], 1000 + i) { UpdateTime = now };
            foreach (var (asset, amount) in options.StartingBalances)
            {
                account.BalanceOf(asset).Free = amount;
            }

            _accounts[options.ApiKeys[i].ApiKey] = account;
        }

        MakerCommissionBps = (int)(options.MakerCommissionRate * 10_000m);
        TakerCommissionBps = (int)(options.TakerCommissionRate * 10_000m);
    }

    public int MakerCommissionBps { get; }

    public int TakerCommissionBps { get; }

    public decimal MakerRate => _makerRate;

    public decimal TakerRate => _takerRate;

    /// <summary>Symbols in configuration order; their options are immutable and safe to read without the lock.</summary>
    public IReadOnlyCollection<SymbolState> Symbols => _symbols.Values;

    public SymbolState? FindSymbol(string symbol) => _symbols.GetValueOrDefault(symbol);

    public SimAccount? FindAccount(string apiKey) => _accounts.GetValueOrDefault(apiKey);

    public PlaceOutcome Place(SimAccount account, NewOrder request)
    {
        lock (_gate)
        {
            var symbol = request.Symbol;
            var options = symbol.Options;
            var now = _clock.NowMs;
            var clientOrderId = request.ClientOrderId ?? NewClientOrderId();
            if (account.FindLastByClientId(symbol, clientOrderId, openOnly: true) is not null)
            {
                throw VenueErrors.DuplicateOrder();
            }

            var isBuy = request.Side == OrderSide.Buy;
            var crossing = request.Type == OrderType.Market || (isBuy ? request.Price >= symbol.Ask : request.Price <= symbol.Bid);
            if (request.Type == OrderType.LimitMaker && crossing)
            {
                throw VenueErrors.NewOrderRejected("Order would immediately match and take.");
            }

            var quantity = request.Quantity;
            if (request.Type == OrderType.Market && quantity == 0)
            {
                quantity = Math.Floor(request.QuoteOrderQty / (isBuy ? symbol.Ask : symbol.Bid) / options.StepSize) * options.StepSize;
                if (quantity <= 0)
                {
                    throw VenueErrors.NewOrderRejected("Price * QTY is zero or less.");
                }
            }

            var lockPrice = isBuy ? (request.Type == OrderType.Market ? symbol.Ask : request.Price) : 0m;
            var lockAsset = isBuy ? options.QuoteAsset : options.BaseAsset;
            var lockAmount = isBuy ? lockPrice * quantity : quantity;
            var balance = account.BalanceOf(lockAsset);
            if (balance.Free < lockAmount)
            {
                throw VenueErrors.InsufficientBalance();
            }

            balance.Free -= lockAmount;
            balance.Locked += lockAmount;
            account.UpdateTime = now;
            var order = new SimOrder
            {
                OrderId = _nextOrderId++,
                Account = account,
                Symbol = symbol,
                ClientOrderId = clientOrderId,
                Side = request.Side,
                Type = request.Type,
                TimeInForce = request.TimeInForce,
                Price = request.Type == OrderType.Market ? 0m : request.Price,
                OrigQty = quantity,
                OrigQuoteOrderQty = request.QuoteOrderQty,
                SelfTradePreventionMode = request.SelfTradePreventionMode,
                LockPrice = lockPrice,
                Time = now,
                UpdateTime = now,
                WorkingTime = now,
                Locked = lockAmount,
            };
            account.Add(order);
            _counters.OrderExecuted();
            Report(order, "NEW", now, null, null);

            var changed = new HashSet<string>(StringComparer.Ordinal) { lockAsset };
            var fills = new List<SimTrade>();
            if (crossing)
            {
                var available = isBuy ? symbol.AskLiquidity : symbol.BidLiquidity;
                if (request.TimeInForce != TimeInForce.Fok || available >= quantity)
                {
                    var fillQty = Math.Min(available, quantity);
                    if (fillQty > 0)
                    {
                        TakeLiquidity(symbol, order.Side, fillQty);
                        fills.Add(Fill(order, fillQty, isBuy ? symbol.Ask : symbol.Bid, isMaker: false, now, changed));
                    }
                }
            }

            if (order.Status.IsOpen())
            {
                if (request.Type == OrderType.Market)
                {
                    Expire(order, "INSUFFICIENT_LIQUIDITY", now);
                }
                else if (request.TimeInForce == TimeInForce.Ioc)
                {
                    Expire(order, "UNFILLED_IOC_QUANTITY_EXPIRED", now);
                }
                else if (request.TimeInForce == TimeInForce.Fok)
                {
                    Expire(order, "UNFILLED_FOK_ORDER_EXPIRED", now);
                }
                else
                {
                    symbol.Resting.Add(order);
                }
            }

            if (_events.HasUserSubscribers(account))
            {
                _events.UserEvent(account, EngineEvents.AccountPosition(account, changed, now));
            }
            if (fills.Count > 0)
            {
                _events.MarketEvent(symbol.StreamName + "@bookTicker", EngineEvents.BookTicker(symbol));
            }

            return new PlaceOutcome(order.Snapshot(), fills);
        }
    }

    public CancelOutcome Cancel(SimAccount account, SymbolState symbol, long? orderId, string? origClientOrderId, string? newClientOrderId, CancelRestriction restriction)
    {
        lock (_gate)
        {
            var order = orderId is { } id
                ? account.FindById(symbol, id)
                : account.FindLastByClientId(symbol, origClientOrderId, openOnly: true);
            if (order is null || !order.Status.IsOpen() || (origClientOrderId is not null && order.ClientOrderId != origClientOrderId))
            {
                throw VenueErrors.UnknownOrderOnCancel();
            }

            if ((restriction == CancelRestriction.OnlyNew && order.Status != OrderStatus.New)
                || (restriction == CancelRestriction.OnlyPartiallyFilled && order.Status != OrderStatus.PartiallyFilled))
            {
                throw VenueErrors.CancelRestricted();
            }

            var now = _clock.NowMs;
            var original = order.ClientOrderId;
            account.Rename(order, newClientOrderId ?? NewClientOrderId());
            order.Status = OrderStatus.Canceled;
            order.UpdateTime = now;
            var asset = Release(order);
            symbol.Resting.Remove(order);
            account.UpdateTime = now;
            _counters.OrderCanceled();
            Report(order, "CANCELED", now, null, original);
            if (_events.HasUserSubscribers(account))
            {
                _events.UserEvent(account, EngineEvents.AccountPosition(account, [asset], now));
            }
            return new CancelOutcome(order.Snapshot(), original, now);
        }
    }

    public OrderSnapshot Query(SimAccount account, SymbolState symbol, long? orderId, string? origClientOrderId)
    {
        lock (_gate)
        {
            if (orderId is { } id)
            {
                var byId = account.FindById(symbol, id) ?? throw VenueErrors.NoSuchOrder();
                if (origClientOrderId is not null && byId.ClientOrderId != origClientOrderId)
                {
                    throw VenueErrors.ClientOrderIdMismatch();
                }

                return byId.Snapshot();
            }

            var byClientId = account.FindLastByClientId(symbol, origClientOrderId, openOnly: false) ?? throw VenueErrors.NoSuchOrder();
            return byClientId.Snapshot();
        }
    }

    public IReadOnlyList<OrderSnapshot> OpenOrders(SimAccount account, SymbolState? symbol)
    {
        lock (_gate)
        {
            return account.Orders.Where(o => o.Status.IsOpen() && (symbol is null || o.Symbol == symbol)).Select(o => o.Snapshot()).ToList();
        }
    }

    public AccountSnapshot Account(SimAccount account)
    {
        lock (_gate)
        {
            return new AccountSnapshot(account.Uid, account.Key.CanTrade, account.UpdateTime,
                account.Balances.Select(b => (b.Key, b.Value.Free, b.Value.Locked)).ToList());
        }
    }

    public IReadOnlyList<SimTrade> Trades(SimAccount account, SymbolState symbol, long? orderId, long? startTime, long? endTime, long? fromId, int limit)
    {
        lock (_gate)
        {
            return account.Trades
                .Where(t => t.Symbol == symbol.Options.Symbol
                    && (orderId is null || t.OrderId == orderId)
                    && (startTime is null || t.Time >= startTime)
                    && (endTime is null || t.Time <= endTime)
                    && (fromId is null || t.Id >= fromId))
                .Take(limit)
                .ToList();
        }
    }

    public BookSnapshot Book(SymbolState symbol)
    {
        lock (_gate)
        {
            return new BookSnapshot(symbol.Options.Symbol, symbol.Price, symbol.Bid, symbol.BidLiquidity, symbol.Ask, symbol.AskLiquidity);
        }
    }

    public MiniTickerSnapshot MiniTicker(SymbolState symbol)
    {
        lock (_gate)
        {
            Prune(symbol, _clock.NowMs);
            var trades = symbol.Window;
            var open = trades.Count > 0 ? trades.Peek().Price : symbol.Price;
            var high = trades.Count > 0 ? Math.Max(trades.Max(t => t.Price), symbol.Price) : symbol.Price;
            var low = trades.Count > 0 ? Math.Min(trades.Min(t => t.Price), symbol.Price) : symbol.Price;
            return new MiniTickerSnapshot(symbol.Options.Symbol, symbol.StreamName, open, high, low, symbol.Price,
                trades.Sum(t => t.Qty), trades.Sum(t => t.Qty * t.Price));
        }
    }

    /// <summary>One step of the price path for every symbol (or one), then matching of resting orders.</summary>
    public void Step(SymbolState? only = null)
    {
        lock (_gate)
        {
            foreach (var symbol in _symbols.Values)
            {
                if (only is null || only == symbol)
                {
                    var ticks = symbol.Options.MaxStepTicks;
                    var delta = symbol.Random.Next(-ticks, ticks + 1) * symbol.Options.TickSize;
                    var price = Math.Clamp(symbol.Price + delta, Math.Max(symbol.Options.MinPrice, symbol.Options.TickSize), symbol.Options.MaxPrice);
                    MoveTo(symbol, price);
                }
            }
        }
    }

    /// <summary>Forces the next tick of <paramref name="symbol"/> to <paramref name="price"/> (a multiple of its tick size).</summary>
    public void SetPrice(SymbolState symbol, decimal price)
    {
        if (price <= 0 || price % symbol.Options.TickSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, $"The price of {symbol.Options.Symbol} must be positive and a multiple of {Wire.Dec(symbol.Options.TickSize)}.");
        }

        lock (_gate)
        {
            MoveTo(symbol, price);
        }
    }

    /// <summary>Credits (or debits) an account like a deposit/withdrawal: balanceUpdate then outboundAccountPosition.</summary>
    public void Deposit(SimAccount account, string asset, decimal delta)
    {
        lock (_gate)
        {
            var balance = account.BalanceOf(asset);
            if (balance.Free + delta < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(delta), delta, $"The free {asset} balance would become negative.");
            }

            var now = _clock.NowMs;
            balance.Free += delta;
            account.UpdateTime = now;
            if (_events.HasUserSubscribers(account))
            {
                _events.UserEvent(account, EngineEvents.BalanceUpdate(asset, delta, now));
                _events.UserEvent(account, EngineEvents.AccountPosition(account, [asset], now));
            }
        }
    }

    public (decimal Free, decimal Locked) BalanceOf(SimAccount account, string asset)
    {
        lock (_gate)
        {
            var balance = account.BalanceOf(asset);
            return (balance.Free, balance.Locked);
        }
    }

    private void MoveTo(SymbolState symbol, decimal price)
    {
        var now = _clock.NowMs;
        var options = symbol.Options;
        symbol.Price = price;
        symbol.BidLiquidity = options.LiquidityPerTick;
        symbol.AskLiquidity = options.LiquidityPerTick;
        symbol.BookUpdateId++;

        // The market's own print for this tick: a quantity drawn from the seed, within the tick's liquidity.
        var units = (int)Math.Min(options.LiquidityPerTick / options.StepSize, 100_000m);
        var qty = symbol.Random.Next(1, units + 1) * options.StepSize;
        var buyerIsMaker = symbol.Random.Next(2) == 0;
        _events.MarketEvent(symbol.StreamName + "@trade", EngineEvents.Trade(symbol, symbol.NextTradeId++, price, qty, now, buyerIsMaker));
        symbol.Window.Enqueue((now, price, qty));

        var buys = symbol.Resting.Where(o => o.Side == OrderSide.Buy && o.Price >= price).OrderByDescending(o => o.Price).ThenBy(o => o.OrderId).ToList();
        foreach (var order in buys)
        {
            MatchResting(symbol, order, now);
        }

        var sells = symbol.Resting.Where(o => o.Side == OrderSide.Sell && o.Price <= price).OrderBy(o => o.Price).ThenBy(o => o.OrderId).ToList();
        foreach (var order in sells)
        {
            MatchResting(symbol, order, now);
        }

        Prune(symbol, now);
        _events.MarketEvent(symbol.StreamName + "@bookTicker", EngineEvents.BookTicker(symbol));
    }

    private void MatchResting(SymbolState symbol, SimOrder order, long now)
    {
        var available = order.Side == OrderSide.Buy ? symbol.AskLiquidity : symbol.BidLiquidity;
        var qty = Math.Min(available, order.Remaining);
        if (qty <= 0)
        {
            return;
        }

        TakeLiquidity(symbol, order.Side, qty);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        Fill(order, qty, order.Price, isMaker: true, now, changed);
        if (_events.HasUserSubscribers(order.Account))
        {
            _events.UserEvent(order.Account, EngineEvents.AccountPosition(order.Account, changed, now));
        }
    }

    private static void TakeLiquidity(SymbolState symbol, OrderSide side, decimal qty)
    {
        if (side == OrderSide.Buy)
        {
            symbol.AskLiquidity -= qty;
        }
        else
        {
            symbol.BidLiquidity -= qty;
        }
    }

    private SimTrade Fill(SimOrder order, decimal qty, decimal price, bool isMaker, long now, HashSet<string> changed)
    {
        var symbol = order.Symbol;
        var options = symbol.Options;
        var account = order.Account;
        var baseBalance = account.BalanceOf(options.BaseAsset);
        var quoteBalance = account.BalanceOf(options.QuoteAsset);
        var quoteQty = price * qty;
        var rate = isMaker ? _makerRate : _takerRate;
        decimal commission;
        string commissionAsset;
        if (order.Side == OrderSide.Buy)
        {
            // Quote was locked at LockPrice; a better fill price returns the difference to free.
            var lockedUsed = order.LockPrice * qty;
            quoteBalance.Locked -= lockedUsed;
            order.Locked -= lockedUsed;
            quoteBalance.Free += lockedUsed - quoteQty;
            commission = Math.Round(qty * rate, 8, MidpointRounding.AwayFromZero);
            commissionAsset = options.BaseAsset;
            baseBalance.Free += qty - commission;
        }
        else
        {
            baseBalance.Locked -= qty;
            order.Locked -= qty;
            commission = Math.Round(quoteQty * rate, 8, MidpointRounding.AwayFromZero);
            commissionAsset = options.QuoteAsset;
            quoteBalance.Free += quoteQty - commission;
        }

        changed.Add(options.BaseAsset);
        changed.Add(options.QuoteAsset);
        order.ExecutedQty += qty;
        order.CumulativeQuoteQty += quoteQty;
        order.UpdateTime = now;
        order.Status = order.Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        if (order.Status == OrderStatus.Filled)
        {
            Release(order);
            symbol.Resting.Remove(order);
        }

        account.UpdateTime = now;
        var trade = new SimTrade(options.Symbol, symbol.NextTradeId++, order.OrderId, price, qty, quoteQty, commission, commissionAsset, now,
            IsBuyer: order.Side == OrderSide.Buy, IsMaker: isMaker);
        account.Trades.Add(trade);
        _counters.Trade();
        Report(order, "TRADE", now, trade, null);
        symbol.Window.Enqueue((now, price, qty));
        var buyerIsMaker = (order.Side == OrderSide.Buy) == isMaker;
        _events.MarketEvent(symbol.StreamName + "@trade", EngineEvents.Trade(symbol, trade.Id, price, qty, now, buyerIsMaker));
        return trade;
    }

    private void Expire(SimOrder order, string reason, long now)
    {
        order.Status = OrderStatus.Expired;
        order.ExpiryReason = reason;
        order.UpdateTime = now;
        Release(order);
        order.Symbol.Resting.Remove(order);
        Report(order, "EXPIRED", now, null, null);
    }

    /// <summary>Returns what the order still holds to the free balance; returns the asset concerned.</summary>
    private static string Release(SimOrder order)
    {
        var asset = order.Side == OrderSide.Buy ? order.Symbol.Options.QuoteAsset : order.Symbol.Options.BaseAsset;
        var balance = order.Account.BalanceOf(asset);
        balance.Locked -= order.Locked;
        balance.Free += order.Locked;
        order.Locked = 0;
        return asset;
    }

    private void Report(SimOrder order, string executionType, long now, SimTrade? trade, string? originalClientOrderId)
    {
        // Execution ids advance whether or not anyone listens.
        var executionId = _nextExecutionId++;
        if (_events.HasUserSubscribers(order.Account))
        {
            _events.UserEvent(order.Account, EngineEvents.ExecutionReport(order, executionType, now, executionId, trade, originalClientOrderId));
        }
    }

    private static void Prune(SymbolState symbol, long now)
    {
        while (symbol.Window.Count > 0 && symbol.Window.Peek().Time < now - s_windowMs)
        {
            symbol.Window.Dequeue();
        }
    }

    private string NewClientOrderId() => string.Create(22, _idRandom, static (span, random) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphanumerics[random.Next(Alphanumerics.Length)];
        }
    });

    /// <summary>Exposed for the mini ticker publisher: builds the payload under the lock.</summary>
    public JsonObject MiniTickerPayload(SymbolState symbol, long now)
    {
        var snapshot = MiniTicker(symbol);
        return new JsonObject
        {
            ["e"] = "24hrMiniTicker",
            ["E"] = now,
            ["s"] = snapshot.Symbol,
            ["c"] = Wire.Dec(snapshot.Close),
            ["o"] = Wire.Dec(snapshot.Open),
            ["h"] = Wire.Dec(snapshot.High),
            ["l"] = Wire.Dec(snapshot.Low),
            ["v"] = Wire.Dec(snapshot.Volume),
            ["q"] = Wire.Dec(snapshot.QuoteVolume),
        };
    }
}
