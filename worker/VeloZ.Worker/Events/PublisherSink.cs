using System.Text;
using VeloZ.Domain.Events;
using VeloZ.Push;

namespace VeloZ.Worker.Events;

/// <summary>Publishes through an <see cref="IEventPublisher"/> (Azure SignalR Service's REST API): one hub message per event, in id order.</summary>
internal sealed class PublisherSink(IEventPublisher publisher) : IEventSink
{
    public Task PublishAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var messages = events.Select(e => new PushMessage(e.Type, Encoding.UTF8.GetBytes(e.ToHubArgument()))).ToList();
        return publisher.PublishAsync(messages, cancellationToken);
    }
}
