using VeloZ.Domain.Events;

namespace VeloZ.Worker.Events;

/// <summary>The balances told so far, and the <c>account</c> event a new balance report produces compared with them.</summary>
internal sealed class AccountDiff
{
    private readonly Dictionary<string, EventPayloads.Balance> _told = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes in <paramref name="balances"/> (all assets when <paramref name="full"/>, else only changed ones) and
    /// returns the account event to tell, or null when nothing changed. It lists the assets with a balance plus
    /// those that just lost it.
    /// </summary>
    public GatewayEvent? Next(long tsNs, IReadOnlyList<EventPayloads.Balance> balances, bool full)
    {
        var changed = false;
        var emptied = new HashSet<string>(StringComparer.Ordinal);
        var current = balances.Select(b => b.Asset).ToHashSet(StringComparer.Ordinal);
        foreach (var b in balances)
        {
            if (!_told.TryGetValue(b.Asset, out var told) || told != b)
            {
                changed = true;
                if (told is not null && (told.Free != 0m || told.Locked != 0m) && b.Free == 0m && b.Locked == 0m)
                {
                    emptied.Add(b.Asset);
                }

                _told[b.Asset] = b;
            }
        }

        if (full)
        {
            foreach (var gone in _told.Keys.Where(k => !current.Contains(k)).ToList())
            {
                _told.Remove(gone);
                changed = true;
            }
        }

        if (!changed)
        {
            return null;
        }

        // Assets with a balance, plus those that just lost it; the zero balances of every other listed
        // asset would only bloat the event.
        var shown = _told.Values
            .Where(b => b.Free != 0m || b.Locked != 0m || emptied.Contains(b.Asset))
            .OrderBy(b => b.Asset, StringComparer.Ordinal);
        return EventPayloads.Account(tsNs, [.. shown]);
    }
}
