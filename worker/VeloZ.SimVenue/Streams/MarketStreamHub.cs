using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Streams;

/// <summary>Fans market stream payloads out to the sessions subscribed to each stream name.</summary>
internal sealed class MarketStreamHub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, MarketStreamSession>> _subscribers = new(StringComparer.Ordinal);

    public void Subscribe(string stream, MarketStreamSession session) =>
        _subscribers.GetOrAdd(stream, _ => new ConcurrentDictionary<long, MarketStreamSession>())[session.Id] = session;

    public void Unsubscribe(string stream, MarketStreamSession session)
    {
        if (_subscribers.TryGetValue(stream, out var sessions))
        {
            sessions.TryRemove(session.Id, out _);
        }
    }

    public bool HasSubscribers(string stream) => _subscribers.TryGetValue(stream, out var sessions) && !sessions.IsEmpty;

    public void Publish(string stream, JsonObject payload)
    {
        if (!_subscribers.TryGetValue(stream, out var sessions) || sessions.IsEmpty)
        {
            return;
        }

        var json = Wire.Json(payload);
        foreach (var session in sessions.Values)
        {
            session.Deliver(stream, json);
        }
    }
}
