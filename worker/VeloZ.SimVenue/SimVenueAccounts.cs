using VeloZ.SimVenue.Engine;

namespace VeloZ.SimVenue;

/// <summary>A balance as the venue holds it.</summary>
public readonly record struct SimBalance(decimal Free, decimal Locked);

/// <summary>Reads and changes account balances from outside the protocol (deposits, withdrawals).</summary>
public sealed class SimVenueAccounts
{
    private readonly MatchingEngine _engine;

    internal SimVenueAccounts(MatchingEngine engine) => _engine = engine;

    /// <summary>Credits (positive) or debits (negative) the free balance, emitting <c>balanceUpdate</c> and <c>outboundAccountPosition</c>.</summary>
    public void Deposit(string apiKey, string asset, decimal amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(asset);
        _engine.Deposit(Find(apiKey), asset, amount);
    }

    public SimBalance GetBalance(string apiKey, string asset)
    {
        var (free, locked) = _engine.BalanceOf(Find(apiKey), asset);
        return new SimBalance(free, locked);
    }

    private SimAccount Find(string apiKey) =>
        _engine.FindAccount(apiKey) ?? throw new ArgumentException("No account has this API key.", nameof(apiKey));
}
