using System.Globalization;

namespace VeloZ.Bench;

/// <summary>
/// CPU time of named processes and of the whole machine over a measurement window, from <c>/proc</c>, so a
/// result can say who used the two cores: the gateway's processes, this load generator, or other work on
/// the machine.
/// </summary>
internal sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly Dictionary<string, long> _startTicks = new(StringComparer.Ordinal);
    private (long Busy, long Total) _startMachine;
    private DateTime _startedAt;

    public CpuMeter(IReadOnlyDictionary<string, int> processes) => _processes = processes;

    public void Start()
    {
        _startedAt = DateTime.UtcNow;
        _startMachine = Machine();
        foreach (var (name, pid) in _processes)
        {
            _startTicks[name] = ProcessTicks(pid);
        }
    }

    /// <summary>Each process's CPU use in % of one core, the machine's busy share in % of all cores, and "others" (% of one core).</summary>
    public (Dictionary<string, double> Processes, double MachineBusyPercent, double OthersPercent) Stop()
    {
        var seconds = (DateTime.UtcNow - _startedAt).TotalSeconds;
        var machine = Machine();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var ours = 0.0;
        foreach (var (name, pid) in _processes)
        {
            var used = (ProcessTicks(pid) - _startTicks[name]) / TicksPerSecond / seconds * 100;
            result[name] = used;
            ours += used;
        }

        var busyTicks = machine.Busy - _startMachine.Busy;
        var totalTicks = machine.Total - _startMachine.Total;
        var busyPercent = totalTicks > 0 ? 100.0 * busyTicks / totalTicks : 0;
        var allCoresPercent = busyTicks / TicksPerSecond / seconds * 100;
        return (result, busyPercent, Math.Max(0, allCoresPercent - ours));
    }

    /// <summary>The 1-minute load average, as <c>uptime</c> shows it.</summary>
    public static string LoadAverage()
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"{parts[0]} {parts[1]} {parts[2]}";
    }

    /// <summary>This process's soft limit of open files (<c>ulimit -n</c>), or null when unlimited or unknown.</summary>
    public static long? OpenFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>Azurite, the worker and the API: this process's children, told apart by their command lines.</summary>
    public static Dictionary<string, int> NamedChildren()
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pid in ChildrenOf(Environment.ProcessId))
        {
            string command;
            try
            {
                command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }

            var name = command.Contains("azurite", StringComparison.Ordinal) ? "azurite"
                : command.Contains("VeloZ.Worker.dll", StringComparison.Ordinal) ? "worker"
                : command.Contains("VeloZ.Functions.dll", StringComparison.Ordinal) ? "api" : null;
            if (name is not null)
            {
                result[name] = pid;
            }
        }

        return result;
    }

    public static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] fields;
            try
            {
                fields = StatFields(pid);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (fields.Length > 1 && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>Fields of <c>/proc/PID/stat</c> after the command name: [0] = state, [1] = ppid, [11] = utime, [12] = stime.</summary>
    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long ProcessTicks(int pid)
    {
        try
        {
            var fields = StatFields(pid);
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static (long Busy, long Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        var idle = cpu[3] + cpu[4];
        var total = cpu.Take(8).Sum();
        return (total - idle, total);
    }
}
