using System.Runtime.CompilerServices;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Market;
using VeloZ.Domain.Time;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// The <c>sim</c> market source: a <see cref="SimulatedPricePath"/> around <c>VELOZ_SIM_START_PRICE</c>,
/// one tick every 100-500 ms of the injected clock.
/// </summary>
internal sealed class SimulatedMarketFeed(GatewayOptions options, TimeProvider clock) : IMarketFeed
{
    public string Name => "sim";

    public async IAsyncEnumerable<MarketTick> ReadTicksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = new SimulatedPricePath(options.SimStartPrice, options.SimSeed);
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(path.NextIntervalMs()), clock, cancellationToken);
            var price = path.Step();
            var now = clock.NowNanos();
            yield return new MarketTick(options.MarketSymbol, price, now, now);
        }
    }
}
