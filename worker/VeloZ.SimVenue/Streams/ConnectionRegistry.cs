using System.Collections.Concurrent;

namespace VeloZ.SimVenue.Streams;

/// <summary>The open WebSocket sessions, for the fault-injection actions that hit all of them.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, WsSession> _sessions = new();

    public void Add(WsSession session) => _sessions[session.Id] = session;

    public void Remove(WsSession session) => _sessions.TryRemove(session.Id, out _);

    public int DropAll() => ForAll(s => s.Drop());

    public int ExpireAll() => ForAll(s => s.Expire());

    public int AnnounceShutdownAll() => ForAll(s => s.AnnounceShutdown());

    private int ForAll(Action<WsSession> action)
    {
        var sessions = _sessions.Values.ToList();
        foreach (var session in sessions)
        {
            action(session);
        }

        return sessions.Count;
    }
}
