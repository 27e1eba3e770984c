using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace VeloZ.Worker.Events;

/// <summary>
/// The hub <c>veloz</c> of the self-hosted push mode. Clients only listen: each event arrives as a message
/// whose target is the event name and whose single argument is the event object with its <c>id</c>.
/// Connecting needs an access token from <c>POST /api/negotiate</c>.
/// </summary>
[Authorize]
internal sealed class VelozHub : Hub;
