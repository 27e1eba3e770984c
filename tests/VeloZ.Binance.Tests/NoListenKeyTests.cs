namespace VeloZ.Binance.Tests;

/// <summary>Binance switched off the spot listenKey stream in February 2026; nothing in VeloZ may call it.</summary>
public sealed class NoListenKeyTests
{
    [Fact]
    public void No_source_file_calls_the_retired_user_data_stream_endpoints()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "VeloZ.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("VeloZ.sln not found");
        }

        string[] retired = ["/api/v3/userDataStream", "/api/v1/userDataStream", "userDataStream.start", "userDataStream.ping", "userDataStream.stop", "listenKey="];
        var offenders = new[] { "shared", "worker", "functions" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => retired.Where(r => File.ReadAllText(path).Contains(r, StringComparison.Ordinal)).Select(r => $"{path}: {r}"))
            .ToList();

        Assert.True(Directory.EnumerateFiles(Path.Combine(root, "shared"), "*.cs", SearchOption.AllDirectories).Any());
        Assert.Empty(offenders);
    }
}
