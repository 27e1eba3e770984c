using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// The console log of the real processes: redirected (as in a container), every line the API and the worker print
/// to standard output is one JSON entry, an <c>[AUDIT]</c> entry carries its event and its fields;
/// <c>VELOZ_LOG_FORMAT=text</c> gives text lines even so.
/// </summary>
public sealed partial class LogsEndToEndTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_stop = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_AUTH_ENABLED"] = "true",
            ["VELOZ_ADMIN_API_KEY"] = "e2e-logs-admin-0123456789abcdef",
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }

    [Fact]
    public async Task Redirected_every_output_line_is_a_json_entry_and_audit_entries_name_their_event()
    {
        var started = DateTimeOffset.UtcNow;
        var env = Env();
        await using var worker = GatewayProcesses.StartWorker(env);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        await using var _ = api;
        await worker.WaitForLineAsync(LeaseAcquired(), TimeSpan.FromSeconds(60), Ct);
        using (var anonymous = new HttpClient { BaseAddress = baseAddress })
        {
            using var refused = await anonymous.GetAsync("/api/market", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await api.WaitForLineAsync(AuthFailure(), TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, await worker.StopAsync(s_stop));
        await api.StopAsync(s_stop);

        var apiEntries = Entries(api, started);
        var workerEntries = Entries(worker, started);

        var listening = Assert.Single(apiEntries, e => e.Message.StartsWith("VeloZ API listening on ", StringComparison.Ordinal));
        Assert.Equal("Information", listening.Level);
        Assert.Equal($"VeloZ API listening on {listening.Fields!.Value.GetProperty("Address").GetString()}", listening.Message);
        Assert.False(listening.Audit);

        var failure = Assert.Single(apiEntries, e => e.Event == "auth_failure");
        Assert.True(failure.Audit);
        Assert.Equal("Warning", failure.Level);
        Assert.StartsWith("[AUDIT] auth_failure: missing_key for GET api/market", failure.Message, StringComparison.Ordinal);
        var fields = failure.Fields!.Value;
        Assert.Equal(("missing_key", "GET", "api/market", "127.0.0.1"), (Text(fields, "Reason"), Text(fields, "Method"), Text(fields, "Route"), Text(fields, "RemoteIp")));

        var acquired = Assert.Single(workerEntries, e => e.Event == "worker_lease_acquired");
        Assert.True(acquired.Audit);
        Assert.False(string.IsNullOrEmpty(Text(acquired.Fields!.Value, "InstanceId")));
        Assert.True(acquired.Fields.Value.GetProperty("ValidUntil").GetDateTimeOffset() > started);
        Assert.Contains(workerEntries, e => e.Event == "worker_lease_released");
    }

    [Fact]
    public async Task Forced_text_writes_text_lines_even_when_redirected()
    {
        await using var worker = GatewayProcesses.StartWorker(Env(("VELOZ_LOG_FORMAT", "text")));
        await worker.WaitForLineAsync(LeaseAcquired(), TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(0, await worker.StopAsync(s_stop));

        Assert.NotEmpty(worker.StandardOutput);
        Assert.All(worker.StandardOutput, l => Assert.False(LogLine.TryParse(l, out _), $"a JSON line with VELOZ_LOG_FORMAT=text: {l}"));
        Assert.Contains(worker.StandardOutput, l => l.Contains(" warn: ", StringComparison.Ordinal) && l.Contains("[AUDIT] worker_lease_acquired", StringComparison.Ordinal));
    }

    /// <summary>Every standard output line of <paramref name="process"/> as a JSON entry written during the test.</summary>
    private static List<LogLine> Entries(ChildProcess process, DateTimeOffset started)
    {
        var lines = process.StandardOutput.ToList();
        Assert.NotEmpty(lines);
        var entries = new List<LogLine>();
        foreach (var line in lines)
        {
            using (JsonDocument.Parse(line))
            {
            }

            Assert.True(LogLine.TryParse(line, out var entry), $"{process.Name} printed a line that is no JSON log entry: {line}");
            Assert.InRange(entry.Time, started.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal(TimeSpan.Zero, entry.Time.Offset);
            Assert.False(string.IsNullOrEmpty(entry.Category), line);
            entries.Add(entry);
        }

        return entries;
    }

    private static string? Text(JsonElement fields, string name) => fields.GetProperty(name).GetString();

    [GeneratedRegex(@"\[AUDIT\] worker_lease_acquired")]
    private static partial Regex LeaseAcquired();

    [GeneratedRegex(@"\[AUDIT\] auth_failure: missing_key for GET api/market")]
    private static partial Regex AuthFailure();
}
