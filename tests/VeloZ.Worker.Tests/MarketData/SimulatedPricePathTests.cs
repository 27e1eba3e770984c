using VeloZ.Worker.MarketData;

namespace VeloZ.Worker.Tests.MarketData;

public sealed class SimulatedPricePathTests
{
    private static decimal[] Walk(decimal start, int seed, int steps)
    {
        var path = new SimulatedPricePath(start, seed);
        return [.. Enumerable.Range(0, steps).Select(_ => path.Step())];
    }

    [Fact]
    public void The_same_seed_gives_the_same_path() =>
        Assert.Equal(Walk(42000m, 7, 500), Walk(42000m, 7, 500));

    [Fact]
    public void Another_seed_gives_another_path() =>
        Assert.NotEqual(Walk(42000m, 7, 50), Walk(42000m, 8, 50));

    [Fact]
    public void Every_step_moves_by_whole_ticks_and_never_stands_still()
    {
        var previous = 42000m;
        foreach (var price in Walk(42000m, 1, 2000))
        {
            Assert.NotEqual(previous, price);
            Assert.Equal(0m, price % SimulatedPricePath.TickSize);
            previous = price;
        }
    }

    [Fact]
    public void The_walk_stays_near_its_start_and_positive()
    {
        var prices = Walk(42000m, 3, 1000);

        Assert.All(prices, p => Assert.True(p > 0m));
        Assert.InRange(prices.Max(), 30000m, 60000m);
        Assert.InRange(prices.Min(), 30000m, 60000m);
    }

    [Fact]
    public void A_tiny_start_price_never_reaches_zero()
    {
        var prices = Walk(0.02m, 11, 5000);

        Assert.All(prices, p => Assert.True(p >= SimulatedPricePath.TickSize));
    }

    [Fact]
    public void Intervals_are_between_100_and_500_ms()
    {
        var path = new SimulatedPricePath(100m, 5);
        var intervals = Enumerable.Range(0, 5000).Select(_ => path.NextIntervalMs()).ToArray();

        Assert.Equal(100, intervals.Min());
        Assert.Equal(500, intervals.Max());
    }
}
