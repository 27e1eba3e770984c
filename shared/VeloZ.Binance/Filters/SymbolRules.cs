using VeloZ.Binance.Rest;

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

        return new SymbolRules(info.Symbol, info.Status, info.BaseAsset, info.QuoteAsset, price, lot, notional);
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

        if (LotSize is { } l)
        {
            if (l.MinQty > 0m && quantity < l.MinQty)
            {
                return new("LOT_SIZE", $"quantity {quantity} is below the minimum {l.MinQty}");
            }

            if (l.MaxQty > 0m && quantity > l.MaxQty)
            {
                return new("LOT_SIZE", $"quantity {quantity} is above the maximum {l.MaxQty}");
            }

            if (l.StepSize > 0m && quantity % l.StepSize != 0m)
            {
                return new("LOT_SIZE", $"quantity {quantity} is not a multiple of the step size {l.StepSize}");
            }
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
}

public sealed record PriceFilterRule(decimal MinPrice, decimal MaxPrice, decimal TickSize);

public sealed record LotSizeRule(decimal MinQty, decimal MaxQty, decimal StepSize);

/// <summary><c>NOTIONAL</c> (min and max) or the older <c>MIN_NOTIONAL</c> (min only).</summary>
public sealed record NotionalRule(string FilterType, decimal MinNotional, decimal MaxNotional);

/// <summary>The filter an order fails, by Binance's name, with a human explanation.</summary>
public sealed record FilterViolation(string Filter, string Message);
