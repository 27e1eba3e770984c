using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VeloZ.Testing;

/// <summary>
/// A process started by a test: output lines are collected (and can be waited for), and the whole
/// process tree is killed on dispose. <see cref="Lines"/> shows a JSON log line as its text line
/// (<see cref="LogLine.Readable"/>), so waits and checks read a message whichever format the process wrote;
/// <see cref="StandardOutput"/> keeps what the process printed there, as it printed it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _standardOutput = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join(Environment.NewLine, _lines);

    /// <summary>The lines the process wrote to its standard output, unchanged.</summary>
    public IReadOnlyCollection<string> StandardOutput => _standardOutput;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the test runner's own VeloZ settings leaks into the child.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("VELOZ_", StringComparison.Ordinal) || k == "AzureWebJobsStorage").ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Add(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data, standardOutput: false);
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts <c>dotnet &lt;dll&gt;</c>.</summary>
    public static ChildProcess StartDotnet(string name, string dllPath, IReadOnlyDictionary<string, string?>? environment = null, IEnumerable<string>? arguments = null) =>
        Start(name, "dotnet", [dllPath, .. arguments ?? []], environment, Path.GetDirectoryName(dllPath));

    /// <summary>Waits until an output line matches; returns the match. Fails with the output so far.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var seen = 0;
        while (true)
        {
            var snapshot = _lines.ToArray();
            for (; seen < snapshot.Length; seen++)
            {
                var match = pattern.Match(snapshot[seen]);
                if (match.Success)
                {
                    return match;
                }
            }

            if (_process.HasExited && _lines.Count == seen)
            {
                // Give the output readers a moment to drain after exit.
                await Task.Delay(100, CancellationToken.None);
                if (_lines.Count == seen)
                {
                    throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before printing /{pattern}/. Output:{Environment.NewLine}{Output}");
                }

                continue;
            }

            try
            {
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} did not print /{pattern}/ within {timeout}. Output:{Environment.NewLine}{Output}");
            }
        }
    }

    /// <summary>Waits for the process to exit on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _exited.Task.WaitAsync(cts.Token);
            await _process.WaitForExitAsync(CancellationToken.None);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}. Output:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>
    /// Asks the process to stop as a container platform does (SIGTERM, which .NET's host treats like Ctrl-C),
    /// then waits; kills it if it does not stop in time. SIGTERM rather than SIGINT because a process started
    /// from a shell's background job inherits SIGINT as ignored, and because SIGTERM is what Azure Container
    /// Apps and <c>docker stop</c> send.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Native.Kill(_process.Id, Native.SigTerm);
        }

        try
        {
            return await WaitForExitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Kills the process tree at once (SIGKILL: no graceful stop, as a crash or an evicted container) and waits for it to be gone.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Add(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }

        if (standardOutput)
        {
            _standardOutput.Enqueue(line);
        }

        _lines.Enqueue(LogLine.Readable(line));
        _lineArrived.Release();
    }
}
