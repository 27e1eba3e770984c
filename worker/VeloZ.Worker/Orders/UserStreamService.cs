using VeloZ.Binance.Orders;
using VeloZ.Binance.UserData;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;
using VeloZ.Storage;
using VeloZ.Worker.Events;
using VeloZ.Worker.Status;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Orders;

/// <summary>
/// Runs the Binance user data stream (WebSocket API <c>userDataStream.subscribe.signature</c>) on the
/// trading venue and is its single consumer: execution reports go through the order state machine into
/// the order rows (fills deduplicated by trade id, so a report seen twice during a connection switch, or
/// already applied from the REST answer or reconciliation, changes nothing); position updates refresh the
/// account snapshot; connection changes set <c>binance_user_stream_connected</c> in the status row, and a
/// (re)connect that may have missed events triggers an immediate reconciliation.
/// </summary>
internal sealed partial class UserStreamService(
    VenueSupervisor venue,
    OrderRepository orders,
    AccountRepository account,
    OrderReconciler reconciler,
    EventInbox events,
    WorkerState state,
    TimeProvider clock,
    ILoggerFactory loggers,
    ILogger<UserStreamService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await venue.WhenReadyAsync.WaitAsync(stoppingToken) is not { } client)
        {
            return;
        }

        var options = new BinanceUserDataStreamOptions
        {
            WebSocketApiUrl = venue.WebSocketApiUrl,
            ApiKey = client.Options.ApiKey,
            ApiSecret = client.Options.ApiSecret,
        };
        await using var stream = new BinanceUserDataStream(options, client, clock, loggers.CreateLogger<BinanceUserDataStream>());
        var run = stream.RunAsync(stoppingToken);
        try
        {
            await foreach (var e in stream.Events.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(e, stoppingToken);
                }
                catch (StorageUnavailableException ex)
                {
                    // The event is not lost for good: the next reconciliation asks the venue again.
                    LogStorage(logger, ex.Message);
                    reconciler.RequestNow();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            state.UserStreamChanged(false);
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task HandleAsync(UserDataEvent e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case UserStreamConnected connected:
                state.UserStreamChanged(true);
                if (connected.MayHaveMissedEvents)
                {
                    reconciler.RequestNow();
                }

                break;
            case UserStreamDisconnected:
                state.UserStreamChanged(false);
                events.Error("binance_ws_error", "user data stream disconnected; open orders are polled until it is back");
                break;
            case ExecutionReport report:
                await ApplyAsync(report, cancellationToken);
                break;
            case AccountPositionUpdate position:
                AssetBalance[] balances = [.. position.Balances.Select(b => new AssetBalance(b.Asset, b.Free, b.Locked))];
                await account.UpsertAsync(UnixTime.ToUnixNanos(position.EventTime), balances, cancellationToken);
                events.Account(UnixTime.ToUnixNanos(position.EventTime), balances, full: false);
                break;
            default:
                break;
        }
    }

    private async Task ApplyAsync(ExecutionReport report, CancellationToken cancellationToken)
    {
        var (clientOrderId, reportEvents) = VenueOrderReports.FromExecutionReport(report);
        using var span = WorkerTracing.StartExecutionReport(clientOrderId, report.Status, report.ExecutionType);
        // One read and one write for the whole report (ack, trade, status).
        var transitions = await orders.ApplyAllAsync(clientOrderId, reportEvents, cancellationToken);
        if (transitions is null)
        {
            LogForeignOrder(logger, clientOrderId);
            return;
        }

        // The first is the acknowledgement every report carries: on an order VeloZ knows well past its ack (a
        // report after a fill) it says nothing new, and is not worth a warning.
        foreach (var transition in transitions.Skip(1))
        {
            Note(clientOrderId, transition);
        }

        if (transitions.Any(t => t.Changed))
        {
            events.Applied(clientOrderId, transitions);
        }
        else
        {
            // Nothing new here; the row may still hold a change made elsewhere whose note is late.
            events.TouchOrder(clientOrderId);
        }
    }

    private void Note(string clientOrderId, OrderTransition? transition)
    {
        if (transition?.Anomaly is { } anomaly)
        {
            LogAnomaly(logger, clientOrderId, anomaly);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution report for {ClientOrderId}, an order VeloZ did not place; ignored")]
    private static partial void LogForeignOrder(ILogger logger, string clientOrderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {ClientOrderId}: {Anomaly}")]
    private static partial void LogAnomaly(ILogger logger, string clientOrderId, string anomaly);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User data event not stored ({Reason}); reconciliation will recover it")]
    private static partial void LogStorage(ILogger logger, string reason);
}
