using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Storage;

namespace VeloZ.Functions.Push;

/// <summary>
/// Leaves notes for the worker ("these orders changed") on the note queue, off the request path: order
/// ids collected over a few milliseconds go out as one queue message, and messages go out at most once
/// per <see cref="MinInterval"/>, so steady order flow costs at most 10 queue writes a second (each also
/// costs the worker a delete), not one per order. A lone order's note still goes out within milliseconds.
/// Every queue write takes its turn with the order rows in the storage account (on Azurite, a single thread
/// shared with the order inserts), so fewer notes also mean fewer order inserts waiting behind one.
/// The note only hurries the worker: the venue's own execution report usually reaches it first, and a note
/// that cannot be sent is only a delay, since the worker's sweep finds every changed order row by itself
/// within seconds.
/// </summary>
public sealed partial class OrderNoteSender(OrderNotes notes, TimeProvider clock, ILogger<OrderNoteSender> logger) : BackgroundService
{
    private static readonly TimeSpan s_gather = TimeSpan.FromMilliseconds(5);

    /// <summary>The shortest time between two note messages.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private const int MaxIdsPerSend = 2000;

    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Notes that the order's row changed.</summary>
    public void Post(string clientOrderId) => _pending.Writer.TryWrite(clientOrderId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long? lastSend = null;
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                // Gather a few milliseconds, and longer if the last message went out less than MinInterval ago.
                var untilInterval = lastSend is { } last ? MinInterval - clock.GetElapsedTime(last) : TimeSpan.Zero;
                await Task.Delay(untilInterval > s_gather ? untilInterval : s_gather, clock, stoppingToken);
                lastSend = clock.GetTimestamp();
                while (ids.Count < MaxIdsPerSend && _pending.Reader.TryRead(out var id))
                {
                    ids.Add(id);
                }

                try
                {
                    await notes.SendAsync(ids, stoppingToken);
                }
                catch (StorageUnavailableException ex)
                {
                    LogNotSent(logger, ids.Count, ex.Message);
                }

                ids.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notes for {Count} orders not sent ({Reason}); the worker's sweep picks the changes up")]
    private static partial void LogNotSent(ILogger logger, int count, string reason);
}
