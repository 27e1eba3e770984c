using VeloZ.SimVenue.Engine;

namespace VeloZ.SimVenue;

/// <summary>
/// Drives the simulated market deterministically (tests, or <see cref="SimVenueOptions.PriceTickInterval"/> = 0):
/// each step or forced price is one tick — new liquidity, one market print, matching of resting orders.
/// </summary>
public sealed class SimVenueMarket
{
    private readonly MatchingEngine _engine;

    internal SimVenueMarket(MatchingEngine engine) => _engine = engine;

    /// <summary>Configured symbols.</summary>
    public IReadOnlyList<string> Symbols => _engine.Symbols.Select(s => s.Options.Symbol).ToList();

    /// <summary>Advances the seeded price path of every symbol by <paramref name="steps"/> ticks.</summary>
    public void Step(int steps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        for (var i = 0; i < steps; i++)
        {
            _engine.Step();
        }
    }

    /// <summary>Advances the seeded price path of one symbol.</summary>
    public void Step(string symbol, int steps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var state = Find(symbol);
        for (var i = 0; i < steps; i++)
        {
            _engine.Step(state);
        }
    }

    /// <summary>Makes the next tick of <paramref name="symbol"/> trade at <paramref name="price"/> (a multiple of its tick size).</summary>
    public void SetPrice(string symbol, decimal price) => _engine.SetPrice(Find(symbol), price);

    /// <summary>The last price of <paramref name="symbol"/> (its bid; the ask is one tick above).</summary>
    public decimal GetPrice(string symbol) => _engine.Book(Find(symbol)).Price;

    private SymbolState Find(string symbol) =>
        _engine.FindSymbol(symbol) ?? throw new ArgumentException($"Unknown symbol '{symbol}'.", nameof(symbol));
}
