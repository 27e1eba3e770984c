using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>Reads a cursor of one endpoint's kind (<see cref="HistoryCursor"/>); false when it is not one.</summary>
internal delegate bool CursorDecoder<TPosition>(string? text, out TPosition position);

/// <summary>The paging and filter parameters of a history request, validated; <see cref="Cursor"/> is still undecoded.</summary>
internal sealed record HistoryQuery(OrderHistoryFilter Filter, int Limit, string? Cursor)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The query parameters that ask for a page (any of them turns <c>/api/orders_state</c> into a paged answer).</summary>
    public static readonly IReadOnlyList<string> Names = ["symbol", "status", "since", "limit", "cursor"];

    /// <summary>The first of <see cref="Names"/> present in <paramref name="query"/> (even empty), or null.</summary>
    public static string? FirstGiven(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Names.FirstOrDefault(query.ContainsKey);
    }

    /// <summary>
    /// <c>symbol</c> (a Binance symbol, any case), <c>status</c> (the contract's status words, any case, comma
    /// separated), <c>since</c> (ns since the Unix epoch, ≥ 0), <c>limit</c> (1..<see cref="MaxLimit"/>, default
    /// <see cref="DefaultLimit"/>), <c>cursor</c> (kept as text); each at most once. The error names the field.
    /// </summary>
    public static (HistoryQuery? Query, FieldError? Error) Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Names.FirstOrDefault(n => query[n].Count > 1) is { } repeated)
        {
            return (null, new FieldError(repeated, $"{repeated} may be given once."));
        }

        string? symbol = null;
        if (Given(query, "symbol") is { } symbolText && OrderValidation.ValidateSymbol(symbolText, out symbol) is { } symbolError)
        {
            return (null, symbolError);
        }

        var statuses = new List<OrderStatus>();
        if (Given(query, "status") is { } statusText && ParseStatuses(statusText, statuses) is { } statusError)
        {
            return (null, statusError);
        }

        long? since = null;
        if (Given(query, "since") is { } sinceText)
        {
            if (!Whole(sinceText, out var value))
            {
                return (null, new FieldError("since", "since must be a time in nanoseconds since the Unix epoch (a whole number ≥ 0)."));
            }

            since = value;
        }

        var limit = DefaultLimit;
        if (Given(query, "limit") is { } limitText)
        {
            if (!Whole(limitText, out var value) || value is < 1 or > MaxLimit)
            {
                return (null, new FieldError("limit", $"limit must be a whole number from 1 to {MaxLimit}."));
            }

            limit = (int)value;
        }

        var cursor = Given(query, "cursor");
        if (cursor is { Length: 0 })
        {
            return (null, new FieldError("cursor", "cursor must be the next_cursor of a previous page."));
        }

        return (new HistoryQuery(new OrderHistoryFilter { Symbol = symbol, Statuses = statuses, SinceTsNs = since }, limit, cursor), null);
    }

    /// <summary>
    /// <see cref="Parse(IQueryCollection)"/> and the cursor decoded with <paramref name="decode"/>: a cursor that is
    /// not one of <paramref name="endpoint"/>'s own is refused on the field <c>cursor</c>.
    /// </summary>
    public static (HistoryQuery? Query, TPosition? After, FieldError? Error) Parse<TPosition>(IQueryCollection query, CursorDecoder<TPosition> decode, string endpoint)
        where TPosition : struct
    {
        ArgumentNullException.ThrowIfNull(decode);
        var (parsed, error) = Parse(query);
        if (parsed?.Cursor is not { } cursor)
        {
            return (parsed, null, error);
        }

        return decode(cursor, out var position)
            ? (parsed, position, null)
            : (null, null, new FieldError("cursor", $"cursor must be the next_cursor of a previous {endpoint} page."));
    }

    /// <summary>The contract's status words, any case, comma separated; at least one, none unknown.</summary>
    internal static FieldError? ParseStatuses(string text, List<OrderStatus> statuses)
    {
        foreach (var word in text.Split(','))
        {
            if (!OrderWire.TryParseStatus(word.Trim().ToUpperInvariant(), out var status))
            {
                return new FieldError("status", $"status must be one or more of {string.Join(", ", OrderWire.Statuses)}, comma separated.");
            }

            if (!statuses.Contains(status))
            {
                statuses.Add(status);
            }
        }

        return null;
    }

    private static string? Given(IQueryCollection query, string name) =>
        query.TryGetValue(name, out StringValues values) ? values[0] ?? string.Empty : null;

    /// <summary>Digits only (no sign, no spaces, no exponent), within a long.</summary>
    private static bool Whole(string text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
