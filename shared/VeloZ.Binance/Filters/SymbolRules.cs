using VeloZ.Binance.Rest;
using VeloZ.Domain.Orders;

namespace VeloZ.Binance.Filters;

/// <summary>
/// A symbol's trading rules from exchangeInfo: status and the filters VeloZ checks before an order
/// leaves (Binance Spot API docs, filters.md). A filter absent from exchangeInfo is not applied; within a filter, a rule
/// whose value is 0 is off.
/// </summary>
public sealed record SymbolRules(
    string Symbol,
    string Status,
    string BaseAsset,
    string QuoteAsset,
    PriceFilterRule? PriceFilter,
    LotSizeRule? LotSize,
    NotionalRule? Notional)
{
    public static SymbolRules From(BinanceSymbolInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        PriceFilterRule? price = null;
        LotSizeRule? lot = null;
        NotionalRule? notional = null;
        foreach (var f in info.Filters)
        {
            switch (f.FilterType)
            {
                case "PRICE_FILTER":
                    price = new PriceFilterRule(f.MinPrice ?? 0m, f.MaxPrice ?? 0m, f.TickSize ?? 0m);
                    break;
                case "LOT_SIZE":
                    lot = new LotSizeRule(f.MinQty ?? 0m, f.MaxQty ?? 0m, f.StepSize ?? 0m);
                    break;
                case "NOTIONAL":
                    notional = new NotionalRule("NOTIONAL", f.MinNotional ?? 0m, f.MaxNotional ?? 0m);
                    break;
                case "MIN_NOTIONAL" when notional is null:
                    notional = new NotionalRule("MIN_NOTIONAL", f.MinNotional ?? 0m, 0m);
                    break;
                default:
                    break;
            }
        }

        return new SymbolRules(info.Symbol, info.Status, info.BaseAsset, info.QuoteAsset, price, lot, notional)
        {
            OrderTypes = info.OrderTypes,
            QuoteOrderQtyMarketAllowed = info.QuoteOrderQtyMarketAllowed,
            SelfTradePreventionModes = info.AllowedSelfTradePreventionModes,
        };
    }

    /// <summary>The order types the symbol accepts (exchangeInfo <c>orderTypes</c>); null when not listed (not checked).</summary>
    public IReadOnlyList<string>? OrderTypes { get; init; }

    /// <summary>Whether a MARKET order may be given by quote amount (<c>quoteOrderQtyMarketAllowed</c>); null when not listed.</summary>
    public bool? QuoteOrderQtyMarketAllowed { get; init; }

    /// <summary>The self-trade prevention modes the symbol accepts (<c>allowedSelfTradePreventionModes</c>); null when not listed.</summary>
    public IReadOnlyList<string>? SelfTradePreventionModes { get; init; }

    /// <summary>
    /// What in <paramref name="ticket"/> the symbol does not offer at all, as the request field at fault and an
    /// explanation: an order type outside <c>orderTypes</c>, a MARKET order by quote amount where
    /// <c>quoteOrderQtyMarketAllowed</c> is false, a self-trade prevention mode outside
    /// <c>allowedSelfTradePreventionModes</c>. Null when the symbol offers it (or exchangeInfo did not say).
    /// </summary>
    public (string Field, string Message)? Unsupported(OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var type = ticket.Type.ToWire();
        if (OrderTypes is { } types && !types.Contains(type, StringComparer.Ordinal))
        {
            return ("type", $"{Symbol} does not take {type} orders; it takes {string.Join(", ", types)}.");
        }

        if (ticket.QuoteQty is not null && QuoteOrderQtyMarketAllowed == false)
        {
            return ("quote_qty", $"{Symbol} does not take MARKET orders by quote amount; give qty instead.");
        }

        if (ticket.SelfTradePrevention is { } mode && SelfTradePreventionModes is { } modes && !modes.Contains(mode.ToWire(), StringComparer.Ordinal))
        {
            return ("self_trade_prevention", $"{Symbol} does not take self_trade_prevention {mode.ToWire()}; it takes {string.Join(", ", modes)}.");
        }

        return null;
    }

    /// <summary>
    /// Checks an order of any type against the filters that apply to it before the venue sees it: LIMIT and
    /// LIMIT_MAKER as <see cref="Check(decimal, decimal)"/>; a MARKET order by quantity against <c>LOT_SIZE</c> (its notional depends
    /// on the prices it executes at, which only the venue knows); a MARKET order by quote amount against the
    /// minimum notional (its quote amount is its notional). Null when it passes, else the first filter it fails.
    /// </summary>
    public FilterViolation? Check(OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Price is { } price && ticket.Qty is { } quantity)
        {
            return Check(price, quantity);
        }

        if (ticket.Qty is { } marketQty)
        {
            return CheckLotSize(marketQty);
        }

        if (ticket.QuoteQty is { } quoteQty && Notional is { MinNotional: > 0m } n && quoteQty < n.MinNotional)
        {
            return new(n.FilterType, $"quote_qty {quoteQty} is below the minimum notional {n.MinNotional}");
        }

        return null;
    }

    /// <summary>Checks a LIMIT order; null when it passes, else the first filter it fails.</summary>
    public FilterViolation? Check(decimal price, decimal quantity)
    {
        if (PriceFilter is { } p)
        {
            if (p.MinPrice > 0m && price < p.MinPrice)
            {
                return new("PRICE_FILTER", $"price {price} is below the minimum {p.MinPrice}");
            }

            if (p.MaxPrice > 0m && price > p.MaxPrice)
            {
                return new("PRICE_FILTER", $"price {price} is above the maximum {p.MaxPrice}");
            }

            if (p.TickSize > 0m && price % p.TickSize != 0m)
            {
                return new("PRICE_FILTER", $"price {price} is not a multiple of the tick size {p.TickSize}");
            }
        }

        if (CheckLotSize(quantity) is { } lotViolation)
        {
            return lotViolation;
        }

        if (Notional is { } n)
        {
            var value = price * quantity;
            if (n.MinNotional > 0m && value < n.MinNotional)
            {
                return new(n.FilterType, $"notional {value} (price x quantity) is below the minimum {n.MinNotional}");
            }

            if (n.MaxNotional > 0m && value > n.MaxNotional)
            {
                return new(n.FilterType, $"notional {value} (price x quantity) is above the maximum {n.MaxNotional}");
            }
        }

        return null;
    }

    private FilterViolation? CheckLotSize(decimal quantity)
    {
        if (LotSize is not { } l)
        {
            return null;
        }

        if (l.MinQty > 0m && quantity < l.MinQty)
        {
            return new("LOT_SIZE", $"quantity {quantity} is below the minimum {l.MinQty}");
        }

        if (l.MaxQty > 0m && quantity > l.MaxQty)
        {
            return new("LOT_SIZE", $"quantity {quantity} is above the maximum {l.MaxQty}");
        }

        return l.StepSize > 0m && quantity % l.StepSize != 0m
            ? new("LOT_SIZE", $"quantity {quantity} is not a multiple of the step size {l.StepSize}")
            : null;
    }
}

public sealed record PriceFilterRule(decimal MinPrice, decimal MaxPrice, decimal TickSize);

public sealed record LotSizeRule(decimal MinQty, decimal MaxQty, decimal StepSize);

/// <summary><c>NOTIONAL</c> (min and max) or the older <c>MIN_NOTIONAL</c> (min only).</summary>
public sealed record NotionalRule(string FilterType, decimal MinNotional, decimal MaxNotional);

/// <summary>The filter an order fails, by Binance's name, with a human explanation.</summary>
public sealed record FilterViolation(string Filter, string Message);
