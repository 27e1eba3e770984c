namespace VeloZ.Push;

/// <summary>
/// Sends VeloZ events to push subscribers (SignalR clients, and through the API's own subscription, SSE clients).
/// Invariant: the messages of one call are delivered in list order, and a message that cannot be delivered is
/// never skipped silently: the call throws instead, and no later message of that call is sent.
/// </summary>
public interface IEventPublisher
{
    Task PublishAsync(IReadOnlyList<PushMessage> messages, CancellationToken cancellationToken);
}
