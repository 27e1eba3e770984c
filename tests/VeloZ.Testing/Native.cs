using System.Runtime.InteropServices;

namespace VeloZ.Testing;

/// <summary>POSIX signals, to stop a child as Ctrl-C or a container runtime would.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
