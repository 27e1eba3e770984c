namespace VeloZ.Binance.Streams;

/// <summary>Builds market stream URLs (Binance Spot API docs, web-socket-streams.md): lower-case stream names, combined streams under <c>/stream</c>.</summary>
public static class BinanceStreamUrls
{
    /// <summary>A stream name with its symbol in lower case (the stream type, e.g. <c>bookTicker</c>, keeps its case).</summary>
    public static string Name(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var at = stream.IndexOf('@', StringComparison.Ordinal);
        var symbol = at < 0 ? stream : stream[..at];
        var rest = at < 0 ? string.Empty : stream[at..];
        return Uri.EscapeDataString(symbol.ToLowerInvariant()) + rest;
    }

    /// <summary>
    /// The streams the market feed follows for <paramref name="symbols"/>: <c>&lt;symbol&gt;@trade</c> (the price) and
    /// <c>&lt;symbol&gt;@bookTicker</c> of each, in the symbols' order.
    /// </summary>
    public static IReadOnlyList<string> MarketStreams(IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        return [.. symbols.SelectMany(symbol => new[] { $"{symbol}@trade", $"{symbol}@bookTicker" })];
    }

    /// <summary>
    /// The combined-stream URL for <paramref name="streams"/> on <paramref name="baseUrl"/>. A base that ends in
    /// <c>/ws</c> or <c>/stream</c> (as older guides wrote it) is reduced to its host first.
    /// </summary>
    public static Uri Combined(Uri baseUrl, IEnumerable<string> streams)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/ws", StringComparison.Ordinal) || path.EndsWith("/stream", StringComparison.Ordinal))
        {
            path = path[..path.LastIndexOf('/')];
        }

        var names = string.Join('/', streams.Select(Name));
        return new Uri($"{baseUrl.Scheme}://{baseUrl.Authority}{path}/stream?streams={names}");
    }
}
