using System.Text.Json.Nodes;

namespace VeloZ.SimVenue.Api;

internal enum OperationKind
{
    Other,
    PlaceOrder,
    CancelOrder,
}

/// <summary>
/// One endpoint, shared by REST and the WebSocket API. <see cref="FreeOnSuccess"/>: since 2026-04-02 a
/// successful place/cancel costs 0 weight and a failed one 1 (Binance's CHANGELOG 2026-03-27).
/// </summary>
internal sealed record VenueOperation(
    string RestMethod,
    string RestPath,
    string WsMethod,
    bool Signed,
    OperationKind Kind,
    bool FreeOnSuccess,
    Func<VenueRequest, int> Weight,
    Func<VenueRequest, JsonNode> Handle);
