using VeloZ.Storage;

namespace VeloZ.Worker.Events;

/// <summary>
/// Reads the API's notes ("these orders changed") from the note queue and hands the orders to the
/// <see cref="EventSequencer"/>. A note is deleted once handed over; if the worker dies first, the note
/// reappears after its visibility timeout, and the sequencer's sweep would find the change anyway.
/// Polls fast while notes flow and backs off to <see cref="MaxIdleDelay"/> when the queue is empty.
/// </summary>
internal sealed partial class OrderNotesListener(OrderNotes notes, EventSequencer sequencer, EventInbox inbox, TimeProvider clock, ILogger<OrderNotesListener> logger) : BackgroundService
{
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxIdleDelay = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sequencer.Ready.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var idle = TimeSpan.FromMilliseconds(20);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = await notes.ReceiveAsync(Visibility, stoppingToken);
                foreach (var (messageId, popReceipt, ids) in messages)
                {
                    inbox.TouchOrders(ids);

                    await notes.DeleteAsync(messageId, popReceipt, stoppingToken);
                }

                if (messages.Count > 0)
                {
                    idle = TimeSpan.FromMilliseconds(20);
                    continue;
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogUnavailable(logger, ex.Message);
                idle = TimeSpan.FromSeconds(2);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(idle, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, MaxIdleDelay.TotalMilliseconds));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order notes unreadable ({Reason}); the sequencer's sweep covers the gap")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
