using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VeloZ.Binance.Rest;
using VeloZ.Binance.Streams;
using VeloZ.Domain.Market;
using VeloZ.Domain.Time;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Market data from Binance's WebSocket streams (<c>binance_ws</c>, and <c>sim</c> against the simulated
/// venue): one connection to the combined <c>&lt;symbol&gt;@trade</c> and <c>&lt;symbol&gt;@bookTicker</c> streams of
/// every followed symbol, each trade's price being its symbol's market price. While the socket is down (connect
/// failure, drop, <c>serverShutdown</c>, or <see cref="SilenceTimeout"/> without a frame) it polls
/// <c>ticker/price</c> of each symbol over REST every second and reconnects with exponential backoff and
/// jitter, so prices keep flowing. Ping frames are answered
/// by the WebSocket client itself. Socket callbacks only enqueue; the feed service is the single consumer.
/// </summary>
internal sealed partial class BinanceWsMarketFeed(
    string name,
    Uri streamBase,
    BinanceRestClient restFallback,
    IReadOnlyList<string> symbols,
    TimeProvider clock,
    ILogger<BinanceWsMarketFeed> logger) : IMarketFeed
{
    /// <summary>No frame for this long means the connection is dead (the venue pings every 20 s).</summary>
    public static readonly TimeSpan SilenceTimeout = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);
    private readonly HashSet<string> _followed = new(symbols, StringComparer.Ordinal);
    private int _connected;

    /// <summary>A feed of one symbol.</summary>
    public BinanceWsMarketFeed(string name, Uri streamBase, BinanceRestClient restFallback, string symbol, TimeProvider clock, ILogger<BinanceWsMarketFeed> logger)
        : this(name, streamBase, restFallback, [symbol], clock, logger)
    {
    }

    public string Name => name;

    /// <summary>True while the stream socket is open.</summary>
    public bool SocketConnected => Volatile.Read(ref _connected) == 1;

    /// <summary>How many times a socket was opened (for tests and status).</summary>
    public int Connections { get; private set; }

    public async IAsyncEnumerable<MarketTick> ReadTicksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<MarketTick>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(() => RunAsync(channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var tick in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return tick;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync(ChannelWriter<MarketTick> writer, CancellationToken cancellationToken)
    {
        try
        {
            await SuperviseAsync(writer, cancellationToken);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task SuperviseAsync(ChannelWriter<MarketTick> writer, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await StreamAsync(writer, cancellationToken))
                {
                    backoff = TimeSpan.FromMilliseconds(500);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Any failure of one connection (socket, protocol, a malformed frame) ends only that connection.
                LogStreamError(logger, Name, ex.GetType().Name);
            }
            finally
            {
                Volatile.Write(ref _connected, 0);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Down: keep prices coming over REST until it is time to reconnect.
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(backoff.TotalMilliseconds / 4) + 1));
            var reconnectAt = clock.GetUtcNow() + backoff + jitter;
            do
            {
                foreach (var symbol in symbols)
                {
                    try
                    {
                        writer.TryWrite(await BinanceRestPollingFeed.PollOnceAsync(restFallback, symbol, clock, cancellationToken));
                    }
                    catch (MarketSourceException ex)
                    {
                        LogFallbackFailed(logger, Name, ex.Message);
                    }
                }

                var wait = reconnectAt - clock.GetUtcNow();
                await Task.Delay(wait < TimeSpan.FromSeconds(1) ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : TimeSpan.FromSeconds(1), clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            while (!cancellationToken.IsCancellationRequested && clock.GetUtcNow() < reconnectAt);

            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, s_maxBackoff.TotalMilliseconds));
        }
    }

    /// <summary>Runs one connection; true if it delivered at least one trade before it ended.</summary>
    private async Task<bool> StreamAsync(ChannelWriter<MarketTick> writer, CancellationToken cancellationToken)
    {
        var url = BinanceStreamUrls.Combined(streamBase, BinanceStreamUrls.MarketStreams(symbols));
        using var socket = new ClientWebSocket();
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(url, connectTimeout.Token);
        }

        Volatile.Write(ref _connected, 1);
        Connections++;
        LogConnected(logger, Name, url.GetLeftPart(UriPartial.Path));
        var delivered = false;
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (socket.State == WebSocketState.Open)
        {
            buffer.ResetWrittenCount();
            using var silence = new CancellationTokenSource(SilenceTimeout, clock);
            using var receive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(4096), receive.Token);
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                LogClosed(logger, Name, socket.CloseStatusDescription ?? socket.CloseStatus?.ToString() ?? "no reason");
                return delivered;
            }

            var frame = MarketStreamFrames.Read(buffer.WrittenSpan);
            switch (frame.Kind)
            {
                // A trade of a symbol not followed (a venue that sends more than was asked) is not a price of ours.
                case MarketFrameKind.Trade when frame.Symbol is { } symbol && _followed.Contains(symbol):
                    writer.TryWrite(new MarketTick(symbol, frame.Price, UnixTime.FromUnixMillis(frame.TradeTimeMs), clock.NowNanos()));
                    delivered = true;
                    break;
                case MarketFrameKind.ServerShutdown:
                    LogClosed(logger, Name, "serverShutdown");
                    return delivered;
                default:
                    break;
            }
        }

        return delivered;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Market feed {Feed} connected to {Url}")]
    private static partial void LogConnected(ILogger logger, string feed, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Market feed {Feed} socket closed: {Reason}; polling REST until it reconnects")]
    private static partial void LogClosed(ILogger logger, string feed, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[AUDIT] market_source_error: {Feed} stream failed ({ErrorType}); polling REST until it reconnects")]
    private static partial void LogStreamError(ILogger logger, string feed, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[AUDIT] market_source_error: {Feed} REST fallback failed: {Reason}")]
    private static partial void LogFallbackFailed(ILogger logger, string feed, string reason);
}
