using System.Text.Json.Nodes;

namespace VeloZ.SimVenue.Engine;

/// <summary>
/// Where the engine hands its events, while still holding its lock (so they keep the engine's order).
/// Implementations only enqueue; they never call back into the engine.
/// </summary>
internal interface IVenueEventSink
{
    /// <summary>
    /// Whether anyone listens to <paramref name="account"/>'s user data now: when nobody does, the engine does
    /// not build those events at all (a subscriber who arrives later starts from then, as on Binance).
    /// </summary>
    bool HasUserSubscribers(SimAccount account);

    /// <summary>A user data event (executionReport, outboundAccountPosition, balanceUpdate) for one account.</summary>
    void UserEvent(SimAccount account, JsonObject payload);

    /// <summary>A market stream payload (e.g. <c>btcusdt@trade</c>).</summary>
    void MarketEvent(string stream, JsonObject payload);
}
