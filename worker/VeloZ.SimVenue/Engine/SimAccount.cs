namespace VeloZ.SimVenue.Engine;

/// <summary>
/// One account (one API key): balances, orders and trades. Mutated only under the engine lock.
/// Invariant: every balance has free &gt;= 0 and locked &gt;= 0; locked equals the sum of its open orders' <see cref="SimOrder.Locked"/>.
/// </summary>
internal sealed class SimAccount(SimApiKey key, long uid)
{
    public SimApiKey Key { get; } = key;

    public long Uid { get; } = uid;

    public SortedDictionary<string, Balance> Balances { get; } = new(StringComparer.Ordinal);

    /// <summary>Every order, oldest first. Add through <see cref="Add"/>, which keeps the indexes below.</summary>
    public List<SimOrder> Orders { get; } = [];

    private readonly Dictionary<long, SimOrder> _byId = [];

    // Orders by symbol and their current client order id, oldest first (an id is reused once its order is closed).
    private readonly Dictionary<(SymbolState Symbol, string ClientOrderId), List<SimOrder>> _byClientId = [];

    public List<SimTrade> Trades { get; } = [];

    public long UpdateTime { get; set; }

    public void Add(SimOrder order)
    {
        Orders.Add(order);
        _byId[order.OrderId] = order;
        var key = (order.Symbol, order.ClientOrderId);
        if (!_byClientId.TryGetValue(key, out var list))
        {
            _byClientId[key] = list = [];
        }

        list.Add(order);
    }

    /// <summary>The order with this venue id in <paramref name="symbol"/>, or null.</summary>
    public SimOrder? FindById(SymbolState symbol, long orderId) =>
        _byId.TryGetValue(orderId, out var order) && order.Symbol == symbol ? order : null;

    /// <summary>The newest order of <paramref name="symbol"/> whose client order id is now <paramref name="clientOrderId"/> (and open, if asked), or null.</summary>
    public SimOrder? FindLastByClientId(SymbolState symbol, string? clientOrderId, bool openOnly)
    {
        if (clientOrderId is null || !_byClientId.TryGetValue((symbol, clientOrderId), out var list))
        {
            return null;
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (!openOnly || list[i].Status.IsOpen())
            {
                return list[i];
            }
        }

        return null;
    }

    /// <summary>Gives an order a new client order id (a cancel does), keeping the index in step.</summary>
    public void Rename(SimOrder order, string clientOrderId)
    {
        var oldKey = (order.Symbol, order.ClientOrderId);
        if (_byClientId.TryGetValue(oldKey, out var list))
        {
            list.Remove(order);
            if (list.Count == 0)
            {
                _byClientId.Remove(oldKey);
            }
        }

        order.ClientOrderId = clientOrderId;
        var newKey = (order.Symbol, clientOrderId);
        if (!_byClientId.TryGetValue(newKey, out var renamed))
        {
            _byClientId[newKey] = renamed = [];
        }

        // Kept oldest first by venue order id, as the order list is.
        var at = renamed.FindLastIndex(o => o.OrderId < order.OrderId) + 1;
        renamed.Insert(at, order);
    }

    public Balance BalanceOf(string asset)
    {
        if (!Balances.TryGetValue(asset, out var balance))
        {
            balance = new Balance();
            Balances[asset] = balance;
        }

        return balance;
    }

    internal sealed class Balance
    {
        public decimal Free { get; set; }

        public decimal Locked { get; set; }
    }
}
