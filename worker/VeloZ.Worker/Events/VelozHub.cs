using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace VeloZ.Worker.Events;

/// <summary>
/// The hub <c>veloz</c> of the self-hosted push mode. Clients only listen: each event arrives as a message
/// whose target is the event name and whose single argument is the event object with its <c>id</c>.
/// Connecting needs an access token from <c>POST /api/negotiate</c>; the token names the API key it was
/// issued to, and the connection is closed when that key is revoked (<see cref="HubKeyWatch"/>).
/// </summary>
[Authorize]
internal sealed class VelozHub(HubConnections connections, HubKeyWatch keys) : Hub
{
    public override async Task OnConnectedAsync()
    {
        if (!await keys.IsActiveAsync(Context.UserIdentifier, Context.ConnectionAborted))
        {
            Context.Abort();
            return;
        }

        connections.Add(Context);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }
}
