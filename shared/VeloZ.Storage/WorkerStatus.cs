using VeloZ.Domain.Configuration;

namespace VeloZ.Storage;

/// <summary>What a worker reports about itself, one row in the status table (the leader's and a standby's each have their own).</summary>
/// <param name="InstanceId">Which worker process wrote the row.</param>
/// <param name="StartedAt">When that process started.</param>
/// <param name="HeartbeatAt">When the row was last written; the API judges liveness by its age.</param>
/// <param name="MarketFeedState">The market feed's state word, see <see cref="MarketFeedStates"/>.</param>
/// <param name="MarketFeedError">The last feed error's short name, or null.</param>
/// <param name="LastTickTsNs">Time of the last tick received, or null.</param>
/// <param name="UserStreamConnected">Whether the Binance user data stream is connected.</param>
/// <param name="TradingHaltedUntil">Set while the venue bans this IP (HTTP 418): no request is sent until then.</param>
/// <param name="VenueRestUrl">The REST base of the venue the worker trades on (the hosted simulated venue's loopback URL in <c>sim_engine</c>).</param>
/// <param name="HubUrl">The base URL of the worker's own SignalR hub (self-hosted push mode), or null.</param>
/// <param name="LastEventId">The id of the last event the worker published, or null before the first.</param>
/// <param name="Role">Whether the worker holds the leader lease, see <see cref="WorkerRoles"/>.</param>
/// <param name="HubTokenKey">The key the worker's own hub checks access tokens with (drawn at each start), or null.</param>
public sealed record WorkerStatus(
    string InstanceId,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    string MarketFeedState,
    string? MarketFeedError,
    long? LastTickTsNs,
    bool UserStreamConnected,
    DateTimeOffset? TradingHaltedUntil = null,
    string? VenueRestUrl = null,
    string? HubUrl = null,
    long? LastEventId = null,
    string Role = WorkerRoles.Leader,
    Secret? HubTokenKey = null);

/// <summary>The words <see cref="WorkerStatus.MarketFeedState"/> takes.</summary>
public static class MarketFeedStates
{
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Error = "error";
    public const string Stopped = "stopped";
}

/// <summary>The words <see cref="WorkerStatus.Role"/> takes.</summary>
public static class WorkerRoles
{
    /// <summary>Holds the leader lease: runs the venue connections and sequences events.</summary>
    public const string Leader = "leader";

    /// <summary>Waits for the lease; runs no venue or sequencing work.</summary>
    public const string Standby = "standby";
}
