using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>Reads and validates <see cref="TelemetryOptions"/>.</summary>
internal static class TelemetrySettings
{
    public static TelemetryOptions Read(SettingReader settings) => new()
    {
        ApplicationInsightsConnectionString = ReadConnectionString(settings),
        OtlpEndpoint = settings.Read(V.OtlpEndpoint) is null ? null : settings.Url(V.OtlpEndpoint, new Uri("http://localhost:4318"), ["http", "https"]),
    };

    private static Secret ReadConnectionString(SettingReader settings)
    {
        var value = settings.Secret(V.ApplicationInsightsConnection);
        if (value.IsEmpty)
        {
            return value;
        }

        // Shape only: the exporter parses the rest. The value names the resource's ingestion key, so it is not echoed.
        var keys = SettingReader.ConnectionStringKeys(value.Reveal());
        if (!keys.Contains("instrumentationkey"))
        {
            settings.Fail(V.ApplicationInsightsConnection, "invalid value (not shown); expected InstrumentationKey=<guid>;IngestionEndpoint=https://...");
            return Secret.Empty;
        }

        return value;
    }
}
