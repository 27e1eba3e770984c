namespace VeloZ.Domain.Configuration;

/// <summary>
/// Where the process exports its traces, metrics and logs with OpenTelemetry. Neither set (the default on a
/// laptop): nothing is exported, and the meters are still readable with <c>dotnet-counters</c>.
/// </summary>
public sealed record TelemetryOptions
{
    /// <summary>Application Insights (Azure Monitor): <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, the name every Azure host sets.</summary>
    public Secret ApplicationInsightsConnectionString { get; init; } = Secret.Empty;

    /// <summary>An OTLP collector: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the exporter also reads the other standard <c>OTEL_EXPORTER_OTLP_*</c> variables).</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>True when at least one exporter is configured.</summary>
    public bool Exports => !ApplicationInsightsConnectionString.IsEmpty || OtlpEndpoint is not null;
}
