using System.Text.Json;
using Microsoft.Extensions.Configuration;
using System.Text.RegularExpressions;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;
using VeloZ.Testing;

namespace VeloZ.Infra.Tests;

/// <summary>
/// infra/ compiles with the Bicep compiler and passes its linter (infra/bicepconfig.json) without a single
/// warning; the compiled template keeps the choices the deployment relies on.
/// </summary>
public sealed partial class InfraTemplateTests
{
    private static string Infra => Path.Combine(RepositoryPaths.Root, "infra");

    /// <summary>Diagnostics are "file(line,col) : Warning|Error code: message"; anything of that shape fails.</summary>
    [GeneratedRegex(@"\)\s*:\s*(Warning|Error)\s", RegexOptions.CultureInvariant)]
    private static partial Regex Diagnostic();

    private static void AssertClean((int ExitCode, string Output, string Errors) result, string what)
    {
        var diagnostics = (result.Output + "\n" + result.Errors).Split('\n').Where(l => Diagnostic().IsMatch(l)).ToList();
        Assert.True(result.ExitCode == 0 && diagnostics.Count == 0,
            $"{what} failed (exit code {result.ExitCode}):\n{string.Join('\n', diagnostics)}\n{result.Errors}");
    }

    /// <summary>One compilation of infra/main.bicep per test run, shared by the tests that read the template.</summary>
    private static readonly Lazy<Task<(int ExitCode, string Output, string Errors)>> s_main =
        new(() => BicepCli.RunAsync("build", "infra/main.bicep", "--stdout"));

    private static async Task<JsonDocument> CompileMainAsync()
    {
        BicepCli.Require();
        var result = await s_main.Value;
        AssertClean(result, "bicep build infra/main.bicep");
        return JsonDocument.Parse(result.Output);
    }

    /// <summary>Every resource of the compiled template, nested module templates included.</summary>
    private static List<JsonElement> Resources(JsonElement template)
    {
        var found = new List<JsonElement>();
        // Templates with typed parameters compile to language version 2.0: resources keyed by symbolic name.
        var resources = template.GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
        foreach (var resource in all)
        {
            found.Add(resource);
            if (resource.TryGetProperty("existing", out var existing) && existing.GetBoolean())
            {
                found.Remove(resource);
                continue;
            }

            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                found.AddRange(Resources(resource.GetProperty("properties").GetProperty("template")));
            }
        }

        return found;
    }

    private static JsonElement Single(JsonDocument template, string type) =>
        Assert.Single(Resources(template.RootElement), r => r.GetProperty("type").GetString() == type);

    [Fact]
    public async Task Every_template_compiles_and_lints_without_warnings()
    {
        var files = Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("main.bicep", StringComparison.Ordinal));

        AssertClean(await BicepCli.RunAsync("lint", "--pattern", "infra/**/*.bicep"), "bicep lint infra/**/*.bicep");
        AssertClean(await BicepCli.RunAsync("build-params", "infra/main.bicepparam", "--stdout"), "bicep build-params infra/main.bicepparam");
        using var _ = await CompileMainAsync();
    }

    [Fact]
    public async Task The_api_is_a_flex_consumption_app_on_dotnet_isolated_10()
    {
        using var template = await CompileMainAsync();
        var plan = Single(template, "Microsoft.Web/serverfarms");
        var site = Single(template, "Microsoft.Web/sites");
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Equal("blobContainer", config.GetProperty("deployment").GetProperty("storage").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Flex_gets_no_settings_it_refuses()
    {
        using var template = await CompileMainAsync();
        var settings = Single(template, "Microsoft.Web/sites/config").GetProperty("properties").GetRawText();

        foreach (var forbidden in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "SCM_DO_BUILD_DURING_DEPLOYMENT" })
        {
            Assert.DoesNotContain(forbidden, settings, StringComparison.Ordinal);
        }

        Assert.Contains("AzureWebJobsStorage__accountName", settings, StringComparison.Ordinal);
        // The VeloZ settings arrive as a module parameter; the secrets among them as Key Vault references,
        // and the public API has VeloZ's authentication on.
        var all = template.RootElement.GetRawText();
        Assert.Contains("@Microsoft.KeyVault(VaultName=", all, StringComparison.Ordinal);
        Assert.Contains("\"VELOZ_AUTH_ENABLED\": \"true\"", all, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\bVELOZ_[A-Z_]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex VelozSetting();

    [Fact]
    public async Task Every_veloz_setting_the_template_writes_is_one_veloz_reads()
    {
        using var template = await CompileMainAsync();
        var written = VelozSetting().Matches(template.RootElement.GetRawText()).Select(m => m.Value).Distinct().ToList();

        Assert.Contains("VELOZ_EXECUTION_MODE", written);
        Assert.All(written, name => Assert.Contains(name, ConfigurationVariables.All));
    }

    [Fact]
    public async Task The_worker_runs_as_exactly_one_replica()
    {
        using var template = await CompileMainAsync();
        var app = Single(template, "Microsoft.App/containerApps").GetProperty("properties");
        var scale = app.GetProperty("template").GetProperty("scale");

        Assert.Equal(1, scale.GetProperty("minReplicas").GetInt32());
        Assert.Equal(1, scale.GetProperty("maxReplicas").GetInt32());
        Assert.Equal("Single", app.GetProperty("configuration").GetProperty("activeRevisionsMode").GetString());
        Assert.False(app.GetProperty("configuration").TryGetProperty("ingress", out _), "the worker serves nothing; it needs no ingress");
    }

    [Fact]
    public async Task The_worker_is_probed_on_its_health_endpoints_and_exports_to_Application_Insights()
    {
        using var template = await CompileMainAsync();
        var container = Single(template, "Microsoft.App/containerApps").GetProperty("properties").GetProperty("template").GetProperty("containers")[0];
        var probes = container.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("type").GetString()!, p => p.GetProperty("httpGet"));
        // The environment is one template expression (the settings' map concatenated with the fixed entries).
        var env = container.GetProperty("env").GetString()!;

        Assert.Equal(["Liveness", "Readiness", "Startup"], probes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("/health/live", probes["Liveness"].GetProperty("path").GetString());
        Assert.Equal("/health/live", probes["Startup"].GetProperty("path").GetString());
        Assert.Equal("/health/ready", probes["Readiness"].GetProperty("path").GetString());
        // The probes reach the port the worker listens on, on the container's address (not loopback).
        var port = probes["Liveness"].GetProperty("port").GetInt32();
        Assert.All(probes.Values, p => Assert.Equal(port, p.GetProperty("port").GetInt32()));
        Assert.Contains($"'name', 'VELOZ_HUB_URL', 'value', 'http://0.0.0.0:{port}'", env, StringComparison.Ordinal);
        Assert.Matches(@"'name', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'value', reference\(.*ConnectionString", env);
    }

    [Fact]
    public async Task SignalR_runs_serverless_with_keys_enabled()
    {
        using var template = await CompileMainAsync();
        var properties = Single(template, "Microsoft.SignalRService/signalR").GetProperty("properties");

        Assert.Contains(properties.GetProperty("features").EnumerateArray(), f => f.GetProperty("flag").GetString() == "ServiceMode" && f.GetProperty("value").GetString() == "Serverless");
        Assert.False(properties.GetProperty("disableLocalAuth").GetBoolean());
    }

    [Fact]
    public async Task Storage_takes_no_shared_keys_and_secrets_stay_in_key_vault()
    {
        using var template = await CompileMainAsync();
        var storage = Single(template, "Microsoft.Storage/storageAccounts").GetProperty("properties");
        var vault = Single(template, "Microsoft.KeyVault/vaults").GetProperty("properties");
        var outputs = template.RootElement.GetProperty("outputs").GetRawText();

        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.DoesNotContain("listKeys", outputs, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionString", outputs, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\[parameters\('(\w+)'\)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterReference();

    [Fact]
    public async Task The_default_deployment_points_every_binance_url_at_one_market()
    {
        using var template = await CompileMainAsync();
        var root = template.RootElement;
        var parameters = root.GetProperty("parameters");
        // The plain VeloZ settings as deployed with every parameter at its default value.
        var settings = root.GetProperty("variables").GetProperty("velozSettings").EnumerateObject()
            .Select(p => (p.Name, Value: ParameterReference().Match(p.Value.GetString() ?? "") is { Success: true } m
                ? parameters.GetProperty(m.Groups[1].Value).GetProperty("defaultValue").GetString()
                : p.Value.GetString()))
            .ToList();
        Assert.Contains(settings, s => s.Name == "VELOZ_BINANCE_BASE_URL");

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Name, s.Value)))
            .Build();
        var options = GatewayOptionsLoader.Load(configuration);

        Assert.Equal(MarketSource.BinanceWs, options.Market.MarketSource);
        Assert.Equal(BinanceMarkets.Of(options.Market.BinanceWsBaseUrl), BinanceMarkets.Of(options.Market.BinanceBaseUrl));
        Assert.Empty(GatewayOptionsLoader.Warnings(options));
    }
}
