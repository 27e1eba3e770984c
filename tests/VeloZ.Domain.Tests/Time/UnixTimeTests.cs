using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Time;

namespace VeloZ.Domain.Tests.Time;

public sealed class UnixTimeTests
{
    [Fact]
    public void Converts_the_contract_example()
    {
        var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(1704067200000000000L, UnixTime.ToUnixNanos(time));
        Assert.Equal(time, UnixTime.FromUnixNanos(1704067200000000000L));
    }

    [Fact]
    public void Now_comes_from_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        clock.Advance(TimeSpan.FromMilliseconds(1.5));

        Assert.Equal(1704067200001500000L, clock.NowNanos());
    }
}
