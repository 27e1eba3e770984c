using System.Threading.Channels;
using VeloZ.Domain.Market;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Conflation point between the feed and the storage writer: it holds only the newest tick, so a fast
/// feed never queues up writes; the writer always stores the latest price.
/// </summary>
internal sealed class LatestTickBuffer
{
    private readonly Channel<MarketTick> _channel = Channel.CreateBounded<MarketTick>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = true,
    });

    public void Publish(MarketTick tick) => _channel.Writer.TryWrite(tick);

    public ValueTask<MarketTick> ReadAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAsync(cancellationToken);
}
