using System.Globalization;
using System.Text;

namespace VeloZ.Domain.Events;

/// <summary>
/// One event of the push channel, as the sequencer numbered it. <see cref="Data"/> is the SSE <c>data</c>
/// JSON object (with <c>type</c> repeated, without the id); the SignalR argument is the same object with
/// <c>id</c> added. <see cref="ClientOrderId"/>, <see cref="OrderStatus"/> and <see cref="TradeId"/> are not on
/// the wire: they let the sequencer know which order facts an event already told.
/// </summary>
/// <param name="Id">Gateway-wide id, one higher per event; 0 until the sequencer numbers it.</param>
/// <param name="Type">Event name (<see cref="EventTypes"/>).</param>
/// <param name="TsNs">Event time, ns since the Unix epoch.</param>
/// <param name="Data">The JSON object sent as SSE <c>data</c>.</param>
/// <param name="ClientOrderId">The order an <c>order_update</c>, <c>fill</c> or <c>order_state</c> is about.</param>
/// <param name="OrderStatus">The status an <c>order_update</c> announced (wire word).</param>
/// <param name="TradeId">The venue trade id of a <c>fill</c>.</param>
public sealed record GatewayEvent(
    long Id,
    string Type,
    long TsNs,
    string Data,
    string? ClientOrderId = null,
    string? OrderStatus = null,
    long? TradeId = null)
{
    /// <summary>True for events written to the event log before they are published (all but <c>market</c>).</summary>
    public bool IsDurable => Type != EventTypes.Market;

    /// <summary>True for the events <c>GET /api/orders</c> lists: <c>order_update</c>, <c>fill</c>, <c>error</c>.</summary>
    public bool IsOrderFeed => Type is EventTypes.OrderUpdate or EventTypes.Fill or EventTypes.Error;

    /// <summary>The SignalR hub message argument: <see cref="Data"/> with <c>"id"</c> first.</summary>
    public string ToHubArgument() =>
        Data.Length > 2
            ? string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{Id},{Data.AsSpan(1)}")
            : string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{Id}}}");

    /// <summary>The event in the SSE wire format: <c>id</c>, <c>event</c>, <c>data</c> lines and a blank line.</summary>
    public byte[] ToSseFrame() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {Id}\nevent: {Type}\ndata: {Data}\n\n"));
}

/// <summary>The event names of the contract.</summary>
public static class EventTypes
{
    public const string Market = "market";
    public const string OrderUpdate = "order_update";
    public const string Fill = "fill";
    public const string OrderState = "order_state";
    public const string Account = "account";
    public const string Error = "error";

    /// <summary>Every event name, in the contract's order.</summary>
    public static IReadOnlyList<string> All { get; } = [Market, OrderUpdate, Fill, OrderState, Account, Error];
}
