using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Events;

/// <summary>The hub's open connections by the API key their token names, so a revoked key's connections can be closed.</summary>
internal sealed class HubConnections
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _open = new(StringComparer.Ordinal);

    public HubConnections(WorkerState state) => state.Metrics.ObserveHubConnections(() => Count);

    public int Count => _open.Count;

    public void Add(HubCallerContext context) => _open[context.ConnectionId] = context;

    public void Remove(HubCallerContext context) => _open.TryRemove(context.ConnectionId, out _);

    /// <summary>The distinct user ids (key ids) with open connections.</summary>
    public IReadOnlyList<string> UserIds => [.. _open.Values.Select(c => c.UserIdentifier).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>Closes every connection of a user id; returns how many.</summary>
    public int Close(string userId)
    {
        var closing = _open.Values.Where(c => c.UserIdentifier == userId).ToList();
        foreach (var context in closing)
        {
            context.Abort();
            _open.TryRemove(context.ConnectionId, out _);
        }

        return closing.Count;
    }
}
