using System.Text.Json;
using VeloZ.Domain.Events;

namespace VeloZ.Worker.Events;

/// <summary>
/// Which <c>market</c> events go to the event log: each symbol's at most once per interval (they are published
/// at once either way; the log only lets a client that resumes see a recent price). Kept per symbol, so a busy
/// symbol never keeps another symbol's prices out of the log. Durable events are always logged.
/// </summary>
internal sealed class MarketLogConflation(TimeSpan interval)
{
    private readonly Dictionary<string, DateTimeOffset> _loggedAt = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="e"/> is durable, or a <c>market</c> event whose symbol was not logged within the interval.</summary>
    public bool IsDue(GatewayEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.IsDurable || !_loggedAt.TryGetValue(SymbolOf(e), out var at) || now - at >= interval;
    }

    /// <summary>Notes that <paramref name="logged"/> reached the log at <paramref name="now"/>.</summary>
    public void Logged(IEnumerable<GatewayEvent> logged, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(logged);
        foreach (var e in logged.Where(e => !e.IsDurable))
        {
            _loggedAt[SymbolOf(e)] = now;
        }
    }

    /// <summary>The <c>symbol</c> of a <c>market</c> event's data (empty when it has none).</summary>
    public static string SymbolOf(GatewayEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var document = JsonDocument.Parse(e.Data);
        return document.RootElement.TryGetProperty("symbol", out var symbol) && symbol.ValueKind == JsonValueKind.String ? symbol.GetString()! : string.Empty;
    }
}
