using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;
using VeloZ.Testing;

namespace VeloZ.Domain.Tests.Logging;

/// <summary>
/// The console log of the standalone API and the worker: JSON lines when redirected, text on a terminal, either when
/// forced; a JSON entry keeps the message, the template's named values, and an <c>[AUDIT]</c> entry's event.
/// </summary>
public sealed partial class ConsoleLogFormatTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 30, 15, 123, TimeSpan.Zero);

    [Theory]
    [InlineData(LogFormat.Auto, true, true)]
    [InlineData(LogFormat.Auto, false, false)]
    [InlineData(LogFormat.Json, true, true)]
    [InlineData(LogFormat.Json, false, true)]
    [InlineData(LogFormat.Text, true, false)]
    [InlineData(LogFormat.Text, false, false)]
    public void Json_when_redirected_text_on_a_terminal_unless_forced(LogFormat format, bool redirected, bool json) =>
        Assert.Equal(json, VelozConsoleLogging.WritesJson(format, redirected));

    [Theory]
    [InlineData(null, LogFormat.Auto)]
    [InlineData("auto", LogFormat.Auto)]
    [InlineData("json", LogFormat.Json)]
    [InlineData("text", LogFormat.Text)]
    public void The_log_format_setting_is_read(string? text, LogFormat expected) =>
        Assert.Equal(expected, Load(text).Logging.Format);

    [Fact]
    public void A_misspelt_log_format_is_an_error_naming_the_allowed_values()
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => Load("JSON"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("VELOZ_LOG_FORMAT", error.Variable);
        Assert.Contains("auto, json, text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audit_entry_is_one_json_line_with_its_fields_and_its_event()
    {
        var (line, entry) = WriteOne(logger => LogLeaseLost(logger, "worker-a", "the lease is held by worker-b (renewal refused)", 3));

        Assert.Equal(s_now, entry.Time);
        Assert.Equal("Critical", entry.Level);
        Assert.Equal("VeloZ.Worker.Leadership.LeadershipService", entry.Category);
        Assert.Equal(497, entry.EventId);
        Assert.Equal("[AUDIT] worker_lease_lost: worker worker-a stopped all venue and sequencing work: the lease is held by worker-b (renewal refused); exiting with code 3", entry.Message);
        Assert.True(entry.Audit);
        Assert.Equal("worker_lease_lost", entry.Event);
        var fields = entry.Fields!.Value;
        Assert.Equal("worker-a", fields.GetProperty("InstanceId").GetString());
        Assert.Equal("the lease is held by worker-b (renewal refused)", fields.GetProperty("Reason").GetString());
        Assert.Equal(JsonValueKind.Number, fields.GetProperty("ExitCode").ValueKind);
        Assert.Equal(3, fields.GetProperty("ExitCode").GetInt32());
        Assert.Equal(["InstanceId", "Reason", "ExitCode"], fields.EnumerateObject().Select(p => p.Name));
        Assert.Equal("12:30:15.123 crit: VeloZ.Worker.Leadership.LeadershipService[497] " + entry.Message, entry.ToText());
        Assert.StartsWith("""{"time":"2026-12-07T12:30:15.123Z","level":"Critical",""", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_entry_has_no_audit_field_and_keeps_numbers_and_times_typed()
    {
        var validUntil = new DateTimeOffset(2026, 12, 7, 12, 31, 0, TimeSpan.Zero);
        var (line, entry) = WriteOne(logger => LogOrderPriced(logger, "order-1", 42000.50m, validUntil));

        Assert.False(entry.Audit);
        Assert.Null(entry.Event);
        Assert.DoesNotContain("\"audit\"", line, StringComparison.Ordinal);
        Assert.Equal(42000.50m, entry.Fields!.Value.GetProperty("Price").GetDecimal());
        Assert.Equal(JsonValueKind.Number, entry.Fields.Value.GetProperty("Price").ValueKind);
        Assert.Equal(validUntil, entry.Fields.Value.GetProperty("ValidUntil").GetDateTimeOffset());
    }

    [Fact]
    public void Values_the_template_does_not_name_stay_out_of_the_line()
    {
        // A framework entry may carry more than its message says (here a query string holding a token).
        IReadOnlyList<KeyValuePair<string, object?>> state =
        [
            new("Path", "/api/stream"),
            new("QueryString", "?access_token=vz_secret"),
            new("{OriginalFormat}", "Request {Path} refused"),
        ];
        var (line, entry) = WriteOne(logger => logger.Log(LogLevel.Warning, default, state, null, (s, _) => "Request /api/stream refused"));

        Assert.Equal("/api/stream", entry.Fields!.Value.GetProperty("Path").GetString());
        Assert.False(entry.Fields.Value.TryGetProperty("QueryString", out _));
        Assert.DoesNotContain("vz_secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_stays_on_the_entry_line()
    {
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("storage said no\nsecond line");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var (line, entry) = WriteOne(logger => LogFailed(logger, thrown, "heartbeat"));

        Assert.DoesNotContain('\n', line);
        Assert.Contains("storage said no\nsecond line", entry.Exception, StringComparison.Ordinal);
        Assert.Equal("Error", entry.Level);
    }

    [Fact]
    public void Inside_a_traced_operation_the_entry_names_the_trace()
    {
        using var activity = new Activity("order").SetIdFormat(ActivityIdFormat.W3C).Start();

        var (line, _) = WriteOne(logger => LogFailed(logger, null, "order"));

        using var json = JsonDocument.Parse(line);
        Assert.Equal(activity.TraceId.ToHexString(), json.RootElement.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), json.RootElement.GetProperty("span_id").GetString());
    }

    [Theory]
    [InlineData("[AUDIT] auth_failure: missing_key for GET api/market from 127.0.0.1", "auth_failure")]
    [InlineData("[AUDIT] order_sent id-1 BTCUSDT BUY 0.001 @ 10000 by key from 127.0.0.1", "order_sent")]
    [InlineData("[AUDIT] event_sequencer_stopped: the worker lease is no longer held", "event_sequencer_stopped")]
    [InlineData("[AUDIT] ", null)]
    [InlineData("order rejected [AUDIT] order_sent", null)]
    [InlineData("VeloZ API listening on http://127.0.0.1:8080", null)]
    public void The_audit_event_is_the_word_after_the_prefix(string message, string? expected) =>
        Assert.Equal(expected, JsonLineConsoleFormatter.AuditEvent(message));

    [Theory]
    [InlineData("[AUDIT] worker_lease_acquired: worker {InstanceId} leads (lease {Lease} valid until {ValidUntil:O})", new[] { "InstanceId", "Lease", "ValidUntil" })]
    [InlineData("{Count,5} rows in {{braces}} and {Name}", new[] { "Count", "Name" })]
    [InlineData("no placeholders", new string[0])]
    public void Template_names_are_read_from_the_message_template(string template, string[] names) =>
        Assert.Equal(names.Order(StringComparer.Ordinal), JsonLineConsoleFormatter.TemplateNames(template).Order(StringComparer.Ordinal));

    [Fact]
    public void A_text_line_reads_as_itself()
    {
        Assert.False(LogLine.TryParse("12:30:15.123 info: VeloZ.Api[0] VeloZ API listening on http://127.0.0.1:8080", out _));
        Assert.Equal("Azurite Table service is starting", LogLine.Readable("Azurite Table service is starting"));
        Assert.Equal("{not json", LogLine.Readable("{not json"));
    }

    private static GatewayOptions Load(string? logFormat) =>
        GatewayOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>(ConfigurationVariables.LogFormat, logFormat)])
            .Build());

    /// <summary>Logs one entry through <paramref name="log"/> and writes it with the formatter; returns the line and its reading.</summary>
    private static (string Line, LogLine Entry) WriteOne(Action<ILogger> log)
    {
        var formatter = new JsonLineConsoleFormatter(new FakeTimeProvider(s_now));
        using var writer = new StringWriter();
        log(new FormattingLogger("VeloZ.Worker.Leadership.LeadershipService", formatter, writer));
        var output = writer.ToString();
        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        var line = output[..^1];
        Assert.True(LogLine.TryParse(line, out var entry), line);
        return (line, entry);
    }

    [LoggerMessage(EventId = 497, Level = LogLevel.Critical, Message = "[AUDIT] worker_lease_lost: worker {InstanceId} stopped all venue and sequencing work: {Reason}; exiting with code {ExitCode}")]
    private static partial void LogLeaseLost(ILogger logger, string instanceId, string reason, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "order {ClientOrderId} priced at {Price} until {ValidUntil:O}")]
    private static partial void LogOrderPriced(ILogger logger, string clientOrderId, decimal price, DateTimeOffset validUntil);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} failed")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string operation);

    /// <summary>An <see cref="ILogger"/> that hands each entry, with its real state, to the formatter, as the console logger does.</summary>
    private sealed class FormattingLogger(string category, JsonLineConsoleFormatter formatter, TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter1) =>
            formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter1), null, writer);
    }
}
