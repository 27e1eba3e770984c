using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Events;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Push;

/// <summary>
/// The API process's one subscription to the hub, fanned out to all its SSE clients. Events are delivered
/// in id order by one caller (<see cref="DeliverAsync"/>): a duplicate (an id already delivered) is dropped,
/// and a gap (after a reconnect to the hub, or a restart of the worker) is filled from the event log before
/// the new event goes out. Each subscriber has its own bounded buffer: a client that falls too far behind
/// is dropped (it resumes by id) and never slows the others. The latest market event of each symbol is kept in
/// memory for <c>GET /api/market</c>.
/// </summary>
public sealed partial class EventBroadcaster(EventLogRepository log, ILogger<EventBroadcaster> logger)
{
    /// <summary>Events a subscriber may have waiting before it is dropped.</summary>
    public const int SubscriberCapacity = 4096;

    private readonly Lock _gate = new();
    private Subscriber[] _subscribers = [];
    private long _lastId = -1;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LiveMarket> _latestMarkets = new(StringComparer.Ordinal);
    private volatile bool _connected;

    /// <summary>True while the subscription to the hub is up (then <see cref="LatestMarketOf"/> is current).</summary>
    public bool Connected
    {
        get => _connected;
        set => _connected = value;
    }

    /// <summary>
    /// The newest <c>market</c> event of <paramref name="symbol"/> received, as <c>GET /api/market</c> answers it
    /// (parsed and serialized once per tick, shared by every request until the next), or null.
    /// </summary>
    public LiveMarket? LatestMarketOf(string symbol) => _latestMarkets.GetValueOrDefault(symbol);

    /// <summary>The id of the newest event delivered, or -1 before the first.</summary>
    public long LastId => Interlocked.Read(ref _lastId);

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public Subscriber Subscribe(int capacity = SubscriberCapacity)
    {
        var subscriber = new Subscriber(capacity);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }

        return subscriber;
    }

    public void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscriber)];
        }
    }

    /// <summary>Delivers one live event (single caller, in arrival order).</summary>
    public async Task DeliverAsync(GatewayEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var last = LastId;
        if (last >= 0 && e.Id <= last)
        {
            return;
        }

        if (last >= 0 && e.Id > last + 1)
        {
            try
            {
                foreach (var missed in await log.ReadRangeAsync(last + 1, e.Id - 1, cancellationToken))
                {
                    Fanout(missed);
                }
            }
            catch (StorageUnavailableException ex)
            {
                // Subscribers that need the missing events get them from the log when they resume.
                LogGapUnfilled(logger, last + 1, e.Id - 1, ex.Message);
            }
        }

        Fanout(e);
    }

    private void Fanout(GatewayEvent e)
    {
        Interlocked.Exchange(ref _lastId, e.Id);
        if (e.Type == EventTypes.Market && ReadTick(e.Data) is { } tick)
        {
            var live = new LiveMarket(tick, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(tick, ApiJsonContext.Default.MarketResponse));
            _latestMarkets[tick.Symbol] = live;
        }

        var item = new StreamItem(e.Id, e.ToSseFrame());
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Offer(item);
        }
    }

    private static MarketResponse? ReadTick(string data)
    {
        using var document = System.Text.Json.JsonDocument.Parse(data);
        var root = document.RootElement;
        return root.TryGetProperty("symbol", out var symbol) && root.TryGetProperty("price", out var price) && root.TryGetProperty("ts_ns", out var ts)
            ? new MarketResponse(symbol.GetString() ?? string.Empty, price.GetDecimal(), ts.GetInt64())
            : null;
    }

    /// <summary>One event ready to write: its id and its SSE bytes (shared by all subscribers).</summary>
    public readonly record struct StreamItem(long Id, byte[] Frame);

    /// <summary>One SSE client's buffer.</summary>
    public sealed class Subscriber
    {
        private readonly Channel<StreamItem> _items;

        internal Subscriber(int capacity)
        {
            _items = Channel.CreateBounded<StreamItem>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        }

        /// <summary>True once the buffer overflowed: the client must be dropped and resume by id.</summary>
        public bool Overflowed { get; private set; }

        public ChannelReader<StreamItem> Reader => _items.Reader;

        internal void Offer(StreamItem item)
        {
            if (!_items.Writer.TryWrite(item) && !Overflowed)
            {
                Overflowed = true;
                _items.Writer.TryComplete();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events {From}..{To} missed by the hub subscription could not be read from the log ({Reason})")]
    private static partial void LogGapUnfilled(ILogger logger, long from, long to, string reason);
}

/// <summary>One live tick: its parsed answer and that answer as UTF-8 JSON.</summary>
public sealed record LiveMarket(MarketResponse Tick, byte[] Body);
