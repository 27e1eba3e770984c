using System.Text.RegularExpressions;
using Xunit;

namespace VeloZ.Testing;

/// <summary>
/// Starts Azurite from the repository's <c>node_modules</c>, in memory, on free loopback ports, once per
/// test assembly (use it as an assembly fixture), and stops it afterwards. Tests keep out of each other's
/// way by using a fresh <see cref="NewStoragePrefix"/> for their tables.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key (public, documented; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static int s_prefixCounter;
    private ChildProcess? _process;

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

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed (looked for {script}). Run 'npm ci' in {RepositoryPaths.Root} " +
                "(./scripts/test.sh does it for you) and make sure Node.js 20+ is on the PATH.");
        }

        _process = ChildProcess.Start("azurite", "node",
        [
            script, "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        ]);
        var timeout = TimeSpan.FromSeconds(60);
        BlobPort = await PortOf("Blob", timeout);
        QueuePort = await PortOf("Queue", timeout);
        TablePort = await PortOf("Table", timeout);
    }

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
