using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;

namespace VeloZ.Domain.Tests.Configuration;

/// <summary>Where telemetry is exported: nothing by default, each exporter by its standard variable, a malformed value refused at start without echoing it.</summary>
public sealed class TelemetrySettingsTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";

    private static TelemetryOptions Load(params (string Key, string? Value)[] values) =>
        GatewayOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build()).Telemetry;

    [Fact]
    public void Nothing_is_exported_unless_an_exporter_is_named()
    {
        var options = Load();

        Assert.False(options.Exports);
        Assert.True(options.ApplicationInsightsConnectionString.IsEmpty);
        Assert.Null(options.OtlpEndpoint);
    }

    [Fact]
    public void Each_exporter_is_named_by_its_standard_variable()
    {
        var azure = Load((ConfigurationVariables.ApplicationInsightsConnection, ConnectionString));
        var otlp = Load((ConfigurationVariables.OtlpEndpoint, "http://collector:4317"));

        Assert.True(azure.Exports);
        Assert.Equal(ConnectionString, azure.ApplicationInsightsConnectionString.Reveal());
        Assert.Equal("***", azure.ApplicationInsightsConnectionString.ToString());
        Assert.True(otlp.Exports);
        Assert.Equal(new Uri("http://collector:4317"), otlp.OtlpEndpoint);
    }

    [Theory]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "IngestionEndpoint=https://x.in.applicationinsights.azure.com/;Secretish=abc", "Secretish")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "collector")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector:4317", "ftp")]
    public void A_malformed_value_is_refused_at_start_naming_the_variable(string variable, string value, string part)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => Load((variable, value)));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(variable, error.Variable);
        if (variable == ConfigurationVariables.ApplicationInsightsConnection)
        {
            // The connection string names the resource's ingestion key: never echoed.
            Assert.DoesNotContain(part, error.Message, StringComparison.Ordinal);
        }
    }
}
