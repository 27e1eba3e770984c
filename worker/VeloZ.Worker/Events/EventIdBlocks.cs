using Azure;
using VeloZ.Domain.Events;

namespace VeloZ.Worker.Events;

/// <summary>
/// The event ids of this sequencer: the next id to give and the block reserved for it. Ids are reserved in blocks
/// of <see cref="BlockSize"/> with an ETag-checked write before use, so they are never reused and never go back,
/// across restarts and failover; after a crash they jump forward by less than one block, and a clean stop hands
/// the unused part back (<see cref="Unused"/>). The storage writes themselves stay with the caller, which checks
/// leadership before each.
/// </summary>
internal sealed class EventIdBlocks
{
    public const int BlockSize = 1000;

    private long _nextId;

    /// <summary>The owner written with each reservation: this process, unique per start.</summary>
    public string Owner { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>The id the next event will get (read from any thread).</summary>
    public long NextId => Interlocked.Read(ref _nextId);

    /// <summary>The last id covered by this worker's reservation.</summary>
    public long ReservedThrough { get; private set; }

    /// <summary>The ETag of the reservation row as last read or written; null before the first read.</summary>
    public ETag? ETag { get; private set; }

    /// <summary>Starts after the reservation found in storage: the ids above it are the next ones.</summary>
    public void Restore(long reservedThrough, ETag? etag)
    {
        ReservedThrough = reservedThrough;
        ETag = etag;
        Interlocked.Exchange(ref _nextId, reservedThrough + 1);
    }

    /// <summary>
    /// The id to reserve through before <paramref name="count"/> more ids can be given (one block beyond the
    /// need), or null when the current reservation covers them.
    /// </summary>
    public long? ReservationNeeded(int count)
    {
        var needed = NextId + count - 1;
        return needed <= ReservedThrough ? null : needed + BlockSize;
    }

    /// <summary>Records a reservation written through <paramref name="through"/>.</summary>
    public void Reserved(long through, ETag etag)
    {
        ReservedThrough = through;
        ETag = etag;
    }

    /// <summary>Gives the drafts their ids, in order; they must be covered by the reservation.</summary>
    public List<GatewayEvent> Number(IReadOnlyList<GatewayEvent> drafts)
    {
        if (NextId + drafts.Count - 1 > ReservedThrough)
        {
            throw new InvalidOperationException($"Ids up to {NextId + drafts.Count - 1} are not reserved (reserved through {ReservedThrough}).");
        }

        var numbered = new List<GatewayEvent>(drafts.Count);
        foreach (var draft in drafts)
        {
            numbered.Add(draft with { Id = Interlocked.Increment(ref _nextId) - 1 });
        }

        return numbered;
    }

    /// <summary>The reservation to write at a clean stop: through the last id given, so the next start continues without a gap.</summary>
    public long Unused => NextId - 1;
}
