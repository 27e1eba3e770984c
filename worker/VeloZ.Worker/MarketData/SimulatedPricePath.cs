namespace VeloZ.Worker.MarketData;

/// <summary>
/// A seeded random walk of prices in whole ticks: the same seed and start always give the same path.
/// Every step moves the price by at least one tick, so consecutive prices always differ. Price math is
/// decimal; only the random draw is floating point, and it is turned into a whole number of ticks.
/// </summary>
internal sealed class SimulatedPricePath
{
    /// <summary>Price increment of the simulated market.</summary>
    public const decimal TickSize = 0.01m;

    /// <summary>Typical relative move per step (5 basis points).</summary>
    private const double RelativeVolatility = 0.0005;

    private readonly Random _random;
    private readonly decimal _floor;
    private decimal _price;

    public SimulatedPricePath(decimal startPrice, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(startPrice);
        _random = new Random(seed);
        _price = Math.Max(TickSize, decimal.Round(startPrice / TickSize) * TickSize);
        _floor = TickSize;
    }

    /// <summary>The current price (the start price, rounded to the tick, before the first step).</summary>
    public decimal Price => _price;

    /// <summary>Milliseconds to wait before the next tick: 100 to 500.</summary>
    public int NextIntervalMs() => 100 + _random.Next(401);

    /// <summary>Moves the price one step and returns it.</summary>
    public decimal Step()
    {
        var sigmaTicks = (double)(_price / TickSize) * RelativeVolatility;
        var ticks = (long)Math.Round(NextGaussian() * sigmaTicks);
        if (ticks == 0)
        {
            ticks = _random.Next(2) == 0 ? -1 : 1;
        }

        var next = _price + (ticks * TickSize);
        // Reflect at the floor so a long walk never reaches zero or below.
        _price = next < _floor ? _price + (Math.Abs(ticks) * TickSize) : next;
        return _price;
    }

    private double NextGaussian()
    {
        // Box-Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
