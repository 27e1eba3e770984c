using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using VeloZ.Domain.Configuration;

namespace VeloZ.Hosting;

/// <summary>The console log format shared by the API (standalone) and the worker.</summary>
public static class VelozConsoleLogging
{
    /// <summary>
    /// One line per entry, UTC timestamps; no per-request framework lines (URLs may carry tokens). Text on a
    /// terminal, JSON lines (<see cref="JsonLineConsoleFormatter"/>) when the output is redirected, unless
    /// <c>VELOZ_LOG_FORMAT</c> forces either.
    /// </summary>
    public static ILoggingBuilder AddVelozConsole(this ILoggingBuilder logging, LogFormat format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        if (WritesJson(format, Console.IsOutputRedirected))
        {
            logging.Services.TryAddSingleton(TimeProvider.System);
            logging.AddConsole(o => o.FormatterName = JsonLineConsoleFormatter.FormatterName);
            logging.AddConsoleFormatter<JsonLineConsoleFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return logging;
    }

    /// <summary>
    /// JSON for a log collector (a container's redirected output), text for a person at a terminal; a forced
    /// format wins either way.
    /// </summary>
    public static bool WritesJson(LogFormat format, bool outputRedirected) => format switch
    {
        LogFormat.Json => true,
        LogFormat.Text => false,
        _ => outputRedirected,
    };
}
