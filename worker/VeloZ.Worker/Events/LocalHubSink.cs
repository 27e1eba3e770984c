using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using VeloZ.Domain.Events;

namespace VeloZ.Worker.Events;

/// <summary>Publishes to every client of the worker's own hub, one hub message per event, in id order.</summary>
internal sealed class LocalHubSink(IHubContext<VelozHub> hub) : IEventSink
{
    public async Task PublishAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            // A self-contained element (no pooled document to dispose): connections may still be writing it
            // after this call returns.
            var argument = JsonSerializer.Deserialize<JsonElement>(e.ToHubArgument());
            await hub.Clients.All.SendAsync(e.Type, argument, cancellationToken).ConfigureAwait(false);
        }
    }
}
