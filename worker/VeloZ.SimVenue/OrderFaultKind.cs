namespace VeloZ.SimVenue;

/// <summary>How an order request is answered when a fault is injected. The order is always executed first.</summary>
public enum OrderFaultKind
{
    /// <summary>HTTP 500 (WebSocket API status 500) with -1006 "... Execution status unknown."</summary>
    ServerError,

    /// <summary>HTTP 503 (WebSocket API status 503) with -1007 "Timeout waiting for response from backend server. ..."</summary>
    BackendTimeout,

    /// <summary>No answer at all: REST holds the request for <see cref="SimVenueFaults.NoResponseHold"/> then drops the connection; the WebSocket API never answers.</summary>
    NoResponse,
}
