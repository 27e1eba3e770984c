namespace VeloZ.Domain.Configuration;

/// <summary>
/// Where the standalone API listens and how long and how far one <c>/api/stream</c> response may go.
/// Each property is named after its variable (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record ApiOptions
{
    /// <summary><c>VELOZ_HOST</c>: address the standalone API binds to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary><c>VELOZ_PORT</c>: port the standalone API binds to (0 = any free port).</summary>
    public int Port { get; init; } = 8080;

    /// <summary><c>VELOZ_STREAM_MAX_SECONDS</c>: longest life of one <c>/api/stream</c> response (0 = unlimited; always below 230 s under the Functions host).</summary>
    public int StreamMaxSeconds { get; init; }

    /// <summary>
    /// <c>VELOZ_STREAM_REPLAY_MAX</c>: the most events one <c>/api/stream</c> response replays from the log on a
    /// resume; a client further behind gets that many, then the response ends and it resumes from the last id.
    /// </summary>
    public int StreamReplayMax { get; init; } = 10_000;

    /// <summary><c>VELOZ_STREAMS_PER_KEY</c>: how many <c>/api/stream</c> responses one key (one client address without auth) may hold open at once.</summary>
    public int StreamsPerKey { get; init; } = 10;
}
