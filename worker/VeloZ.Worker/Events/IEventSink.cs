using VeloZ.Domain.Events;

namespace VeloZ.Worker.Events;

/// <summary>Where numbered events go after they are logged: the worker's own hub or Azure SignalR Service.</summary>
internal interface IEventSink
{
    /// <summary>Publishes <paramref name="events"/> in order (ids ascending).</summary>
    Task PublishAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken);
}
