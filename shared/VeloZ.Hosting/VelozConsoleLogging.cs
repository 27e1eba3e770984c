using Microsoft.Extensions.Logging;

namespace VeloZ.Hosting;

/// <summary>The console log format shared by the API (standalone) and the worker.</summary>
public static class VelozConsoleLogging
{
    /// <summary>One line per entry, UTC timestamps; no per-request framework lines (URLs may carry tokens).</summary>
    public static ILoggingBuilder AddVelozConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return logging;
    }
}
