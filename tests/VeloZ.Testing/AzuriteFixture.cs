using System.Text.RegularExpressions;
using Xunit;

namespace VeloZ.Testing;

/// <summary>
/// Starts Azurite from the repository's <c>node_modules</c>, in memory, on free loopback ports, once per
/// test assembly (use it as an assembly fixture), and stops it afterwards. Tests keep out of each other's
/// way by using a fresh <see cref="NewStoragePrefix"/> for their tables. A test that takes storage away
/// starts its own with <see cref="StartOnDiskAsync"/>, which keeps its data across <see cref="KillAsync"/> and
/// <see cref="StartAgainAsync"/> on the same ports.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key (public, documented; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static int s_prefixCounter;
    private ChildProcess? _process;
    private string? _location;

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>A storage prefix no other test of this run uses.</summary>
    public static string NewStoragePrefix() => $"t{Environment.ProcessId % 10000}x{Interlocked.Increment(ref s_prefixCounter)}";

    /// <summary>An Azurite of its own that keeps its data in <paramref name="location"/> (dispose it).</summary>
    public static async Task<AzuriteFixture> StartOnDiskAsync(string location)
    {
        var azurite = new AzuriteFixture { _location = location };
        await azurite.InitializeAsync();
        return azurite;
    }

    /// <summary>Storage goes away at once, as in a crash: connections are refused from now on.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync(TimeSpan.FromSeconds(10));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts Azurite again on the ports it had (its data too, when on disk).</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Azurite is running.");
        }

        Start(BlobPort, QueuePort, TablePort);
        await PortOf("Table", TimeSpan.FromSeconds(60));
    }

    public async ValueTask InitializeAsync()
    {
        Start(0, 0, 0);
        var timeout = TimeSpan.FromSeconds(60);
        BlobPort = await PortOf("Blob", timeout);
        QueuePort = await PortOf("Queue", timeout);
        TablePort = await PortOf("Table", timeout);
    }

    private void Start(int blobPort, int queuePort, int tablePort)
    {
        var script = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed (looked for {script}). Run 'npm ci' in {RepositoryPaths.Root} " +
                "(./scripts/test.sh does it for you) and make sure Node.js 20+ is on the PATH.");
        }

        string[] persistence = _location is null ? ["--inMemoryPersistence"] : ["--location", _location];
        _process = ChildProcess.Start("azurite", "node",
        [
            script, .. persistence, "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Invariant(blobPort), "--queuePort", Invariant(queuePort), "--tablePort", Invariant(tablePort),
        ]);
    }

    private static string Invariant(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private async Task<int> PortOf(string service, TimeSpan timeout)
    {
        var match = await _process!.WaitForLineAsync(new Regex($@"Azurite {service} service is successfully listening at http://127\.0\.0\.1:(\d+)"), timeout);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
