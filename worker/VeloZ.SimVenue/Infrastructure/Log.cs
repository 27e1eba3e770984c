using Microsoft.Extensions.Logging;

namespace VeloZ.SimVenue.Infrastructure;

/// <summary>The venue's log messages. Parameters, keys and secrets are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Simulated venue listening: REST {RestBaseUri}, streams {StreamBaseUri}, WebSocket API {WebSocketApiUri}")]
    public static partial void VenueStarted(ILogger logger, Uri restBaseUri, Uri streamBaseUri, Uri webSocketApiUri);

    [LoggerMessage(2, LogLevel.Debug, "WebSocket {Kind} connection {ConnectionId} opened")]
    public static partial void WebSocketOpened(ILogger logger, string kind, long connectionId);

    [LoggerMessage(3, LogLevel.Debug, "WebSocket connection {ConnectionId} closed")]
    public static partial void WebSocketClosed(ILogger logger, long connectionId);

    [LoggerMessage(4, LogLevel.Information, "WebSocket connection {ConnectionId} missed its pongs; disconnecting")]
    public static partial void PongTimeout(ILogger logger, long connectionId);

    [LoggerMessage(5, LogLevel.Information, "WebSocket connection {ConnectionId} reached its lifetime; ending it")]
    public static partial void LifetimeEnded(ILogger logger, long connectionId);

    [LoggerMessage(6, LogLevel.Information, "Injected fault {Fault} on an executed order placement")]
    public static partial void FaultInjected(ILogger logger, OrderFaultKind fault);

    [LoggerMessage(7, LogLevel.Warning, "Background loop {Loop} failed; it continues")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "WebSocket connection {ConnectionId} sent more than 5 messages in a second; disconnecting")]
    public static partial void TooManyMessages(ILogger logger, long connectionId);
}
