using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Events;
using VeloZ.Domain.Time;

namespace VeloZ.Functions.Push;

/// <summary>
/// The API process subscribes once to the hub (the worker's own hub or Azure SignalR Service, through the
/// same <see cref="IPushAccess"/> that negotiate uses) and hands every event, in arrival order, to the
/// <see cref="EventBroadcaster"/>. A lost connection is rebuilt from scratch with backoff (the hub's address
/// may have changed when the worker restarted); the broadcaster fills what was missed from the log.
/// </summary>
public sealed partial class PushSubscription(IPushAccess access, EventBroadcaster broadcaster, TimeProvider clock, ILogger<PushSubscription> logger) : BackgroundService
{
    private static readonly TimeSpan s_initialBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var received = Channel.CreateUnbounded<GatewayEvent>(new UnboundedChannelOptions { SingleReader = true });
        var delivery = DeliverAsync(received.Reader, stoppingToken);
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await access.GetAsync("veloz-api", stoppingToken) is { } endpoint)
                    {
                        await RunConnectionAsync(endpoint, received.Writer, stoppingToken);
                        failures = 0;
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever stopped this connection (a timeout surfacing as a cancellation, a hub error, a
                    // storage refusal), the API keeps serving and tries again: a background service that
                    // throws would stop the whole host.
                    LogConnectFailed(logger, ex.GetType().Name, ex.Message);
                }

                broadcaster.Connected = false;
                await Task.Delay(Backoff.JitteredDelay(failures++, s_initialBackoff, s_maxBackoff), clock, stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            received.Writer.TryComplete();
            await delivery.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunConnectionAsync(PushEndpoint endpoint, ChannelWriter<GatewayEvent> received, CancellationToken stoppingToken)
    {
        var token = endpoint.AccessToken;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(endpoint.Url, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(30);
        foreach (var type in EventTypes.All)
        {
            connection.On<JsonElement>(type, argument =>
            {
                if (TryRead(type, argument) is { } e)
                {
                    received.TryWrite(e);
                }
            });
        }

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync(stoppingToken);
        broadcaster.Connected = true;
        LogConnected(logger, endpoint.Url);
        try
        {
            await closed.Task.WaitAsync(stoppingToken);
            LogDisconnected(logger);
        }
        finally
        {
            broadcaster.Connected = false;
        }
    }

    private async Task DeliverAsync(ChannelReader<GatewayEvent> received, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in received.ReadAllAsync(stoppingToken))
            {
                await broadcaster.DeliverAsync(e, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The hub argument is the event object with its id; the SSE data is the same object without it.</summary>
    internal static GatewayEvent? TryRead(string type, JsonElement argument)
    {
        if (argument.ValueKind != JsonValueKind.Object || !argument.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id))
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in argument.EnumerateObject())
            {
                if (property.NameEquals("id"))
                {
                    continue;
                }

                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        var tsNs = argument.TryGetProperty("ts_ns", out var ts) && ts.TryGetInt64(out var value) ? value
            : argument.TryGetProperty("last_ts_ns", out var lastTs) && lastTs.TryGetInt64(out var lastValue) ? lastValue : 0;
        return new GatewayEvent(id, type, tsNs, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to the event hub at {Url}")]
    private static partial void LogConnected(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event hub subscription lost; reconnecting")]
    private static partial void LogDisconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event hub not reachable yet ({ErrorType}: {Reason})")]
    private static partial void LogConnectFailed(ILogger logger, string errorType, string reason);
}
