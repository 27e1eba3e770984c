using Microsoft.AspNetCore.SignalR;

namespace VeloZ.Worker.Events;

/// <summary>
/// A connection's user is the <c>nameid</c> claim of its token (the API key id negotiate issued it to), read as
/// written: inbound claim types are not mapped, so the default provider's <c>ClaimTypes.NameIdentifier</c> would find nothing.
/// </summary>
internal sealed class TokenUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.User.FindFirst("nameid")?.Value;
    }
}
