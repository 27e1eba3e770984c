namespace VeloZ.Domain.Configuration;

/// <summary>How the standalone API and the worker write their console log (<c>VELOZ_LOG_FORMAT</c>).</summary>
public enum LogFormat
{
    /// <summary><c>auto</c> (or unset): text on a terminal, JSON lines when the output is redirected (a container, a pipe, a file).</summary>
    Auto,

    /// <summary><c>json</c>: one JSON object per line, always.</summary>
    Json,

    /// <summary><c>text</c>: one readable line per entry, always.</summary>
    Text,
}

/// <summary>Console logging of the standalone API and the worker (under the Functions host the host owns the logs).</summary>
public sealed record LoggingOptions
{
    /// <summary><c>VELOZ_LOG_FORMAT</c>.</summary>
    public LogFormat Format { get; init; } = LogFormat.Auto;
}
