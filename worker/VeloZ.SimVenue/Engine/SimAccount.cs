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

    public List<SimOrder> Orders { get; } = [];

    public List<SimTrade> Trades { get; } = [];

    public long UpdateTime { get; set; }

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
