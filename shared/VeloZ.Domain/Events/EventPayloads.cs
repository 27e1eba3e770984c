using System.Buffers;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Market;
using VeloZ.Domain.Numerics;
using VeloZ.Domain.Orders;

namespace VeloZ.Domain.Events;

/// <summary>
/// Builds the contract's event payloads (un-numbered <see cref="GatewayEvent"/>s). Prices and quantities are
/// JSON numbers written from <see cref="decimal"/> without exponent or binary rounding.
/// </summary>
public static class EventPayloads
{
    /// <summary>A balance line of an <c>account</c> event.</summary>
    public sealed record Balance(string Asset, decimal Free, decimal Locked);

    public static GatewayEvent Market(MarketTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        return new(0, EventTypes.Market, tick.TsNs, Write(EventTypes.Market, w =>
        {
            w.WriteString("symbol", tick.Symbol);
            WriteDecimal(w, "price", tick.Price);
            w.WriteNumber("ts_ns", tick.TsNs);
        }));
    }

    /// <summary>An <c>order_update</c> announcing <paramref name="state"/>'s current status.</summary>
    public static GatewayEvent OrderUpdate(OrderState state, long tsNs)
    {
        ArgumentNullException.ThrowIfNull(state);
        var status = state.Status.ToWire();
        return new(0, EventTypes.OrderUpdate, tsNs, Write(EventTypes.OrderUpdate, w =>
        {
            w.WriteNumber("ts_ns", tsNs);
            w.WriteString("client_order_id", state.ClientOrderId);
            if (state.VenueOrderId is { } venueId)
            {
                w.WriteString("venue_order_id", venueId);
            }

            w.WriteString("status", status);
            w.WriteString("symbol", state.Symbol);
            w.WriteString("side", state.Side.ToWire());
            WriteNullableDecimal(w, "qty", state.KnownQty);
            WriteNullableDecimal(w, "price", state.KnownPrice);
            WriteOrderKind(w, state);
            if (state.Reason is { } reason)
            {
                w.WriteString("reason", reason);
            }
        }), state.ClientOrderId, status);
    }

    /// <summary>A <c>fill</c>: one trade, not cumulative.</summary>
    public static GatewayEvent Fill(OrderState state, OrderFill fill)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fill);
        return new(0, EventTypes.Fill, fill.TsNs, Write(EventTypes.Fill, w =>
        {
            w.WriteNumber("ts_ns", fill.TsNs);
            w.WriteString("client_order_id", state.ClientOrderId);
            w.WriteString("symbol", state.Symbol);
            WriteDecimal(w, "qty", fill.Qty);
            WriteDecimal(w, "price", fill.Price);
            w.WriteNumber("trade_id", fill.TradeId);
        }), state.ClientOrderId, TradeId: fill.TradeId);
    }

    /// <summary>An <c>order_state</c>: the OrderState snapshot plus <c>type</c>.</summary>
    public static GatewayEvent OrderStateSnapshot(OrderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(0, EventTypes.OrderState, state.LastTsNs, Write(EventTypes.OrderState, w =>
        {
            w.WriteString("client_order_id", state.ClientOrderId);
            w.WriteString("symbol", state.Symbol);
            w.WriteString("side", state.Side.ToWire());
            WriteNullableDecimal(w, "order_qty", state.KnownQty);
            WriteNullableDecimal(w, "limit_price", state.KnownPrice);
            WriteOrderKind(w, state);
            WriteNullableString(w, "venue_order_id", state.VenueOrderId);
            w.WriteString("status", state.Status.ToWire());
            WriteNullableString(w, "reason", state.Reason);
            WriteDecimal(w, "executed_qty", state.ExecutedQty);
            if (state.AvgPrice is { } avg)
            {
                WriteDecimal(w, "avg_price", avg);
            }
            else
            {
                w.WriteNull("avg_price");
            }

            w.WriteNumber("last_ts_ns", state.LastTsNs);
        }), state.ClientOrderId);
    }

    public static GatewayEvent Account(long tsNs, IEnumerable<Balance> balances)
    {
        ArgumentNullException.ThrowIfNull(balances);
        return new(0, EventTypes.Account, tsNs, Write(EventTypes.Account, w =>
        {
            w.WriteNumber("ts_ns", tsNs);
            w.WriteStartArray("balances");
            foreach (var b in balances)
            {
                w.WriteStartObject();
                w.WriteString("asset", b.Asset);
                WriteDecimal(w, "free", b.Free);
                WriteDecimal(w, "locked", b.Locked);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    /// <summary>An <c>error</c> event; <paramref name="message"/> is a short name such as <c>market_source_error</c>.</summary>
    public static GatewayEvent Error(long tsNs, string message, string? detail = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(0, EventTypes.Error, tsNs, Write(EventTypes.Error, w =>
        {
            w.WriteNumber("ts_ns", tsNs);
            w.WriteString("message", message);
            if (detail is not null)
            {
                w.WriteString("detail", detail);
            }
        }));
    }

    private static void WriteDecimal(Utf8JsonWriter w, string name, decimal value) =>
        w.WriteNumber(name, DecimalText.Trim(value));

    /// <summary>A quantity or price an order may not have (a MARKET order has no price; one by quote amount no quantity).</summary>
    private static void WriteNullableDecimal(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } number)
        {
            WriteDecimal(w, name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>
    /// <b>New</b>: what kind of order it is, unless LIMIT GTC. Named <c>order_type</c>, since an event's <c>type</c> is the
    /// event's own; <c>quote_order_qty</c> and <c>self_trade_prevention</c> only when the order has them.
    /// </summary>
    private static void WriteOrderKind(Utf8JsonWriter w, OrderState state)
    {
        if (!state.IsSeedKind())
        {
            // A LIMIT GTC order (the seed's only kind) keeps the seed's event fields exactly.
            w.WriteString("order_type", state.Type.ToWire());
            if (state.TimeInForce is { } timeInForce)
            {
                w.WriteString("time_in_force", timeInForce.ToWire());
            }
        }

        if (state.QuoteOrderQty is { } quoteQty)
        {
            WriteDecimal(w, "quote_order_qty", quoteQty);
        }

        if (state.SelfTradePrevention is { } stp)
        {
            w.WriteString("self_trade_prevention", stp.ToWire());
        }
    }

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string Write(string type, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
