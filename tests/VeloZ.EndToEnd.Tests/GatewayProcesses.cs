using System.Text.RegularExpressions;
using VeloZ.FunctionsHost;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>Starts the real worker and API processes from their build outputs, as a user would run them.</summary>
internal static partial class GatewayProcesses
{
    public static string WorkerDll => Path.Combine(RepositoryPaths.BuildOutput("worker/VeloZ.Worker"), "VeloZ.Worker.dll");

    /// <summary>
    /// The API: from the published deployment package when the test script made one (so the standalone
    /// runs test what ships, like the Functions-host runs), otherwise from the build output.
    /// </summary>
    public static string ApiDll => Path.Combine(FunctionsAppPublisher.PresetPublishDirectory() ?? RepositoryPaths.BuildOutput("functions/VeloZ.Functions"), "VeloZ.Functions.dll");

    /// <summary>Starts the worker; its hub listens on a free port unless the test chose one (<c>VELOZ_HUB_URL</c>).</summary>
    public static ChildProcess StartWorker(IReadOnlyDictionary<string, string?> environment)
    {
        var env = new Dictionary<string, string?>(environment);
        env.TryAdd("VELOZ_HUB_URL", "http://127.0.0.1:0");
        return ChildProcess.StartDotnet("worker", WorkerDll, env);
    }

    public static ChildProcess StartApi(IReadOnlyDictionary<string, string?> environment) =>
        ChildProcess.StartDotnet("api", ApiDll, environment);

    /// <summary>Starts the standalone API on a free port and returns it with its base address.</summary>
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartStandaloneApiAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var env = new Dictionary<string, string?>(environment) { ["VELOZ_HOST"] = "127.0.0.1", ["VELOZ_PORT"] = "0" };
        var api = StartApi(env);
        var match = await api.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(60));
        return (api, new Uri(match.Groups[1].Value));
    }

    /// <summary>Waits, as a client would, until the worker leads and the venue answers (<c>/api/execution/ping</c> ok).</summary>
    public static Task WaitUntilTradingAsync(HttpClient api) =>
        OrderWalkthrough.EventuallyAsync(api, "/api/execution/ping", b => b.GetProperty("ok").GetBoolean(), TimeSpan.FromSeconds(60));

    [GeneratedRegex(@"VeloZ API listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
