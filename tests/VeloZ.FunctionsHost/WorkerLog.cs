using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using VeloZ.FunctionsHost.Protocol;

namespace VeloZ.FunctionsHost;

/// <summary>
/// Everything the worker said, in arrival order: its <c>RpcLog</c> messages and its own stdout/stderr
/// lines, plus the stand-in's notes about it. Each line is also handed to the caller's sink, which may
/// throw (for example a test output helper after its test ended) without affecting the stand-in.
/// </summary>
internal sealed class WorkerLog(Action<string>? sink)
{
    private const int Capacity = 20_000;

    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Snapshot() => [.. _lines];

    public IReadOnlyList<string> Tail(int count)
    {
        var all = _lines.ToArray();
        return all.Length <= count ? all : all[^count..];
    }

    public void Add(string line)
    {
        var stamped = DateTime.UtcNow.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture) + line;
        _lines.Enqueue(stamped);
        while (_lines.Count > Capacity && _lines.TryDequeue(out _))
        {
        }

        try
        {
            sink?.Invoke(stamped);
        }
        catch (Exception)
        {
            // A sink that cannot take the line (its test already finished) must not break the host.
        }
    }

    public void AddProcessLine(string line) => Add("[worker process] " + line);

    public void AddNote(string line) => Add("[stand-in] " + line);

    public void Add(RpcLog log)
    {
        var text = new StringBuilder()
            .Append('[').Append(log.Level.ToString()).Append("] ")
            .Append(log.Category).Append(": ")
            .Append(log.Message);
        if (log.InvocationId.Length > 0)
        {
            text.Append(" (invocation ").Append(log.InvocationId).Append(')');
        }

        if (log.Exception is { } exception)
        {
            text.AppendLine().Append("    ").Append(Describe(exception));
            if (exception.StackTrace.Length > 0)
            {
                text.AppendLine().Append(exception.StackTrace);
            }
        }

        Add(text.ToString());
    }

    public static string Describe(RpcException exception) =>
        exception.Type.Length > 0 ? $"{exception.Type}: {exception.Message}" : exception.Message;

    /// <summary>The last lines, ready to append to an error message.</summary>
    public string FormatTail(int count = 40)
    {
        var tail = Tail(count);
        return tail.Count == 0
            ? "(the worker logged nothing)"
            : string.Join(Environment.NewLine, tail.Select(l => "  " + l));
    }
}
