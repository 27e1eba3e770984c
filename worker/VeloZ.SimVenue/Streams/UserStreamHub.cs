using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Engine;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Streams;

/// <summary>Fans user data events of an account out to every WebSocket API subscription of that account.</summary>
internal sealed class UserStreamHub
{
    private readonly ConcurrentDictionary<SimAccount, ConcurrentDictionary<(long Session, int Subscription), WsApiSession>> _subscribers = new();

    public void Add(SimAccount account, WsApiSession session, int subscriptionId) =>
        _subscribers.GetOrAdd(account, _ => new())[(session.Id, subscriptionId)] = session;

    public void Remove(SimAccount account, WsApiSession session, int subscriptionId)
    {
        if (_subscribers.TryGetValue(account, out var sessions))
        {
            sessions.TryRemove((session.Id, subscriptionId), out _);
        }
    }

    public bool HasSubscribers(SimAccount account) => _subscribers.TryGetValue(account, out var sessions) && !sessions.IsEmpty;

    public void Publish(SimAccount account, JsonObject payload)
    {
        if (!_subscribers.TryGetValue(account, out var sessions) || sessions.IsEmpty)
        {
            return;
        }

        var json = Wire.Json(payload);
        foreach (var ((_, subscriptionId), session) in sessions)
        {
            session.DeliverEvent(subscriptionId, json);
        }
    }
}
