namespace VeloZ.Domain.Orders;

/// <summary>
/// What VeloZ knows about one order: the contract's OrderState plus the facts it is derived from. Values
/// are only produced by <see cref="OrderStateMachine"/> (or read back from storage); they never change in place.
/// </summary>
/// <remarks>
/// Invariants kept by <see cref="OrderStateMachine.Apply"/>: <see cref="Fills"/> are distinct by trade id
/// and never exceed <see cref="OrderQty"/> in total; <see cref="ExecutedQty"/>, <see cref="VenueExecutedQty"/>
/// and <see cref="VenueCumQuote"/> never decrease; <see cref="Status"/> never moves to a lower rank.
/// Equality compares <see cref="Fills"/> element by element (a record would compare the list reference).
/// </remarks>
/// <param name="ClientOrderId">VeloZ's id, sent to the venue as <c>newClientOrderId</c>.</param>
/// <param name="Symbol">Symbol, e.g. <c>BTCUSDT</c>.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="OrderQty">Ordered quantity (&gt; 0); 0 for a MARKET order by quote amount (<see cref="QuoteOrderQty"/>), whose quantity only the venue's execution decides.</param>
/// <param name="LimitPrice">Limit price (&gt; 0); 0 for a MARKET order.</param>
/// <param name="VenueOrderId">The venue's order id, once any source told it.</param>
/// <param name="Status">Current status.</param>
/// <param name="Reason">Why the order was rejected or expired, as the venue (or reconciliation) said it.</param>
/// <param name="Fills">Trades, distinct by trade id, in arrival order.</param>
/// <param name="VenueExecutedQty">The venue's latest cumulative executed quantity from reports and queries (0 if none).</param>
/// <param name="VenueCumQuote">The venue's latest cumulative quote quantity (Binance <c>Z</c> / <c>cummulativeQuoteQty</c>; 0 if none).</param>
/// <param name="CreatedTsNs">When VeloZ created the order, ns since the Unix epoch.</param>
/// <param name="LastTsNs">Latest event time that changed the state.</param>
/// <param name="CancelRequested">A cancel was asked for; the CANCELLED status itself only comes from the venue.</param>
public sealed record OrderState(
    string ClientOrderId,
    string Symbol,
    OrderSide Side,
    decimal OrderQty,
    decimal LimitPrice,
    string? VenueOrderId,
    OrderStatus Status,
    string? Reason,
    IReadOnlyList<OrderFill> Fills,
    decimal VenueExecutedQty,
    decimal VenueCumQuote,
    long CreatedTsNs,
    long LastTsNs,
    bool CancelRequested)
{
    /// <summary>Sum of the quantities of <see cref="Fills"/>.</summary>
    public decimal FilledQty
    {
        get
        {
            var sum = 0m;
            foreach (var fill in Fills)
            {
                sum += fill.Qty;
            }

            return sum;
        }
    }

    /// <summary>
    /// The contract's <c>executed_qty</c>: the larger of the fills' total and the venue's cumulative figure.
    /// Both count the same trades, so taking the maximum never double counts, and neither ever decreases.
    /// </summary>
    public decimal ExecutedQty => Math.Max(FilledQty, VenueExecutedQty);

    /// <summary>
    /// The contract's <c>avg_price</c>, the quantity-weighted average of all fills: <see langword="null"/> when
    /// nothing executed; Σ(qty·price)/Σqty of <see cref="Fills"/> when they cover <see cref="ExecutedQty"/>;
    /// otherwise (some trades known only as the venue's cumulative figures) <see cref="VenueCumQuote"/> /
    /// <see cref="VenueExecutedQty"/>, or the fills' average when the venue gave no quote figure.
    /// </summary>
    public decimal? AvgPrice
    {
        get
        {
            var filled = 0m;
            var quote = 0m;
            foreach (var fill in Fills)
            {
                filled += fill.Qty;
                quote += fill.Qty * fill.Price;
            }

            if (filled >= VenueExecutedQty)
            {
                return filled > 0m ? quote / filled : null;
            }

            if (VenueCumQuote > 0m)
            {
                return VenueCumQuote / VenueExecutedQty;
            }

            return filled > 0m ? quote / filled : null;
        }
    }

    /// <summary>
    /// The latest venue time (ns since the Unix epoch, on the venue's clock: what a signed request carries as
    /// <c>timestamp</c>) at which VeloZ may still send this order; null on rows written before orders had one.
    /// Nothing sends the order later, so once the venue's clock has passed it by <c>recvWindow</c> the venue can
    /// no longer accept it, and an order the venue does not know by then was never placed.
    /// </summary>
    public long? SendByTsNs { get; init; }

    /// <summary>The order type; rows written before VeloZ had several types are LIMIT.</summary>
    public OrderType Type { get; init; } = OrderType.Limit;

    /// <summary>The time in force of a LIMIT order (GTC on rows written before VeloZ had several); null for the other types.</summary>
    public TimeInForce? TimeInForce { get; init; } = Orders.TimeInForce.Gtc;

    /// <summary>The quote amount of a MARKET order by quote amount; null for every other order.</summary>
    public decimal? QuoteOrderQty { get; init; }

    /// <summary>The self-trade prevention mode the order was sent with; null when the symbol's default applied.</summary>
    public SelfTradePrevention? SelfTradePrevention { get; init; }

    /// <summary>
    /// True for a MARKET order by quote amount: its quantity is not known before the venue executes it, so only the
    /// venue's reports can make it FILLED, and its fills are bounded by the quote amount instead of a quantity.
    /// </summary>
    public bool IsByQuote => QuoteOrderQty is not null;

    /// <summary>
    /// True for the seed's only kind of order, LIMIT GTC without a self-trade prevention mode; its bodies and events
    /// carry no order-type fields, exactly as before VeloZ had several types.
    /// </summary>
    public bool IsSeedKind() => Type == OrderType.Limit && TimeInForce == Orders.TimeInForce.Gtc && SelfTradePrevention is null;

    /// <summary>The order quantity, or null for a MARKET order by quote amount (its quantity is the venue's to decide).</summary>
    public decimal? KnownQty => IsByQuote ? null : OrderQty;

    /// <summary>The limit price, or null for a MARKET order.</summary>
    public decimal? KnownPrice => Type == OrderType.Market ? null : LimitPrice;

    /// <summary>The ticket the order was placed with.</summary>
    public OrderTicket Ticket => new(Symbol, Side, Type, KnownQty, QuoteOrderQty, KnownPrice, TimeInForce, SelfTradePrevention);

    /// <summary>Sum of qty × price of <see cref="Fills"/>: the quote amount the fills exchanged.</summary>
    public decimal FilledQuote
    {
        get
        {
            var sum = 0m;
            foreach (var fill in Fills)
            {
                sum += fill.Qty * fill.Price;
            }

            return sum;
        }
    }

    /// <summary>True for FILLED, CANCELLED, REJECTED and EXPIRED.</summary>
    public bool IsFinal => Status.IsFinal();

    /// <summary>Field-by-field equality, with <see cref="Fills"/> compared element by element.</summary>
    public bool Equals(OrderState? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (ClientOrderId == other.ClientOrderId
                && Symbol == other.Symbol
                && Side == other.Side
                && OrderQty == other.OrderQty
                && LimitPrice == other.LimitPrice
                && VenueOrderId == other.VenueOrderId
                && Status == other.Status
                && Reason == other.Reason
                && VenueExecutedQty == other.VenueExecutedQty
                && VenueCumQuote == other.VenueCumQuote
                && CreatedTsNs == other.CreatedTsNs
                && LastTsNs == other.LastTsNs
                && CancelRequested == other.CancelRequested
                && SendByTsNs == other.SendByTsNs
                && Type == other.Type
                && TimeInForce == other.TimeInForce
                && QuoteOrderQty == other.QuoteOrderQty
                && SelfTradePrevention == other.SelfTradePrevention
                && Fills.SequenceEqual(other.Fills)));

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(
            HashCode.Combine(ClientOrderId, Symbol, Side, OrderQty, LimitPrice, VenueOrderId, Status, Reason),
            HashCode.Combine(VenueExecutedQty, VenueCumQuote, CreatedTsNs, LastTsNs, CancelRequested, SendByTsNs, Fills.Count),
            HashCode.Combine(Type, TimeInForce, QuoteOrderQty, SelfTradePrevention));
}
