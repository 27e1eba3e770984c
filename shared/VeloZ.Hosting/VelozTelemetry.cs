using System.Diagnostics;
using System.Reflection;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VeloZ.Domain.Configuration;

namespace VeloZ.Hosting;

/// <summary>What one process traces and measures: its service name, its activity sources and its meters.</summary>
public sealed record TelemetryScope(string ServiceName, IReadOnlyList<string> Sources, IReadOnlyList<string> Meters);

/// <summary>
/// Exporters added next to the configured ones, registered in the service collection before the process's own
/// services (an embedding host's or a test's in-memory exporter). Its presence turns telemetry on.
/// </summary>
public sealed class TelemetryExport
{
    public Action<TracerProviderBuilder>? Traces { get; init; }

    public Action<MeterProviderBuilder>? Metrics { get; init; }
}

/// <summary>
/// OpenTelemetry for the API and the worker: one place that says what is traced, measured and exported.
/// <list type="bullet">
/// <item>Traces: the process's own sources (an order's storage write and venue call; the worker's report and
/// publish), incoming requests (not the probes, which platforms call every few seconds) and outgoing HTTP
/// requests made within a traced operation. Background polling (heartbeats, queue reads, market polling) starts
/// no trace of its own: a client request without a parent is not sampled.</item>
/// <item>Metrics: the process's meter, ASP.NET Core's and HttpClient's request durations, and the runtime's.</item>
/// <item>Logs: the same entries as the console, when an exporter is configured.</item>
/// <item>Exporters: Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other <c>OTEL_EXPORTER_OTLP_*</c> variables),
/// both when both are. Neither: no OpenTelemetry SDK runs at all, and the meters stay readable with
/// <c>dotnet-counters</c>.</item>
/// </list>
/// URL query strings are recorded redacted by the instrumentations (the stream's <c>access_token</c>, the venue's
/// <c>signature</c>), and no header is recorded.
/// </summary>
public static class VelozTelemetry
{
    /// <summary>The attribute that names an order on every span about one: the API's order spans, the worker's report and publish.</summary>
    public const string ClientOrderId = "veloz.client_order_id";

    /// <summary>Adds OpenTelemetry when an exporter is configured or a <see cref="TelemetryExport"/> is registered; else nothing (null).</summary>
    /// <param name="services">The process's services.</param>
    /// <param name="options">Which exporters are configured.</param>
    /// <param name="scope">The process's service name, sources and meters.</param>
    /// <param name="platform">The hosting platform's own defaults (the Functions worker's), applied first so that VeloZ's
    /// service name stays the one its resource reports.</param>
    public static OpenTelemetryBuilder? AddVelozTelemetry(this IServiceCollection services, TelemetryOptions options, TelemetryScope scope, Action<OpenTelemetryBuilder>? platform = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scope);
        var extra = services.Where(d => !d.IsKeyedService).Select(d => d.ImplementationInstance).OfType<TelemetryExport>().ToList();
        if (!options.Exports && extra.Count == 0)
        {
            return null;
        }

        var azureMonitor = options.ApplicationInsightsConnectionString;
        var otlp = options.OtlpEndpoint is not null;
        var builder = services.AddOpenTelemetry();
        platform?.Invoke(builder);
        builder.ConfigureResource(r => r.AddService(scope.ServiceName, serviceVersion: Version, serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new NoUnparentedClientSampler()))
                    .AddSource([.. scope.Sources])
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (!azureMonitor.IsEmpty)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = azureMonitor.Reveal());
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                extra.ForEach(e => e.Traces?.Invoke(tracing));
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. scope.Meters])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (!azureMonitor.IsEmpty)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor.Reveal());
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                extra.ForEach(e => e.Metrics?.Invoke(metrics));
            });
        if (options.Exports)
        {
            builder.WithLogging(logging =>
            {
                if (!azureMonitor.IsEmpty)
                {
                    logging.AddAzureMonitorLogExporter(o => o.ConnectionString = azureMonitor.Reveal());
                }

                if (otlp)
                {
                    logging.AddOtlpExporter();
                }
            });
        }

        return builder;
    }

    /// <summary>The liveness and readiness probes: called every few seconds by the platform, never worth a trace.</summary>
    internal static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health/live", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health/ready", StringComparison.OrdinalIgnoreCase);

    private static string Version { get; } =
        typeof(VelozTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// The root sampler: a trace starts at a request, or at one of VeloZ's own operations, never at an outgoing
    /// request made by background polling (heartbeats, queue and market polling would otherwise be most of the
    /// traces). Children follow their parent (<see cref="ParentBasedSampler"/>).
    /// </summary>
    internal sealed class NoUnparentedClientSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
    }
}
