using System.Threading.Channels;
using VeloZ.Domain.Market;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Conflation point between the feed and the storage writer: it holds only the newest tick of each symbol, so a
/// fast feed never queues up writes, the writer always stores the latest prices, and a busy symbol never pushes
/// another symbol's price out.
/// </summary>
internal sealed class LatestTickBuffer
{
    private readonly Lock _gate = new();

    // A doorbell: one pending signal at most, however many ticks arrive before the reader looks.
    private readonly Channel<bool> _ready = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private Dictionary<string, MarketTick> _pending = new(StringComparer.Ordinal);

    public void Publish(MarketTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            _pending[tick.Symbol] = tick;
        }

        _ready.Writer.TryWrite(true);
    }

    /// <summary>Waits for at least one pending tick; then the newest tick of every symbol that has one, which are forgotten.</summary>
    public async ValueTask<IReadOnlyList<MarketTick>> ReadAllAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_pending.Count > 0)
                {
                    var ticks = _pending.Values.ToList();
                    _pending = new Dictionary<string, MarketTick>(StringComparer.Ordinal);
                    return ticks;
                }
            }

            await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
