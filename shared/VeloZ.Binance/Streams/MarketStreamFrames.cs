using System.Text.Json;
using VeloZ.Domain.Numerics;

namespace VeloZ.Binance.Streams;

/// <summary>What one market stream frame is to the market feed.</summary>
public enum MarketFrameKind
{
    /// <summary>Anything the feed does not use (bookTicker, a control answer, an unknown event).</summary>
    Other,

    /// <summary>A <c>trade</c> event: a new last price of its symbol.</summary>
    Trade,

    /// <summary><c>serverShutdown</c>: the venue is about to close the connection.</summary>
    ServerShutdown,
}

/// <summary>One market stream frame as the market feed reads it; <see cref="Symbol"/>, <see cref="Price"/> and <see cref="TradeTimeMs"/> only for a trade.</summary>
public readonly record struct MarketStreamFrame(MarketFrameKind Kind, string? Symbol = null, decimal Price = 0, long TradeTimeMs = 0);

/// <summary>
/// Reads market stream frames (Binance Spot API docs, web-socket-streams.md), raw or in the combined-stream
/// envelope <c>{"stream":"btcusdt@trade","data":{…}}</c>. A trade's symbol is its <c>s</c> field (upper case, as
/// exchangeInfo spells it); when absent, the envelope's stream name stands in, upper-cased.
/// </summary>
public static class MarketStreamFrames
{
    /// <summary>Reads one frame; throws <see cref="JsonException"/> (or <see cref="FormatException"/>) on a malformed one.</summary>
    public static MarketStreamFrame Read(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(MarketFrameKind.Other);
        }

        var combined = root.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.Object;
        var data = combined ? inner : root;
        if (!data.TryGetProperty("e", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return new(MarketFrameKind.Other);
        }

        switch (type.GetString())
        {
            case "trade":
                var symbol = data.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.String
                    ? s.GetString()
                    : combined && root.TryGetProperty("stream", out var stream) && stream.GetString() is { } name && name.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
                        ? name[..at].ToUpperInvariant()
                        : null;
                return new(MarketFrameKind.Trade, symbol, DecimalText.Parse(data.GetProperty("p").GetString()!), data.GetProperty("T").GetInt64());
            case "serverShutdown":
                return new(MarketFrameKind.ServerShutdown);
            default:
                return new(MarketFrameKind.Other);
        }
    }
}
