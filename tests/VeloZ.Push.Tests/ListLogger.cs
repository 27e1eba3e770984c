using Microsoft.Extensions.Logging;

namespace VeloZ.Push.Tests;

/// <summary>Collects formatted log lines (and exception texts) so tests can check what would reach a log.</summary>
internal sealed class ListLogger : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger<T> For<T>() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this)).CreateLogger<T>();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ListLogger owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
