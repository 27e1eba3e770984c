using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;

namespace VeloZ.Domain.Tests.Configuration;

/// <summary>Each concern reads and checks its own settings, and services get each concern from the one validated whole.</summary>
public sealed class ConcernSettingsTests
{
    /// <summary>One bad value per concern, all set at once.</summary>
    private static readonly Dictionary<string, string?> s_oneBadValuePerConcern = new()
    {
        [ConfigurationVariables.Port] = "80000",
        [ConfigurationVariables.SimTickMs] = "0",
        [ConfigurationVariables.ExecutionMode] = "binance_tesnet_spot",
        [ConfigurationVariables.StoragePrefix] = "Veloz",
        [ConfigurationVariables.HubUrl] = "ftp://127.0.0.1:8081",
        [ConfigurationVariables.RateLimitBurst] = "0",
    };

    private static readonly Dictionary<string, Func<SettingReader, object>> s_readers = new()
    {
        ["api"] = ApiSettings.Read,
        ["market"] = MarketSettings.Read,
        ["venue"] = VenueSettings.Read,
        ["storage"] = StorageSettings.Read,
        ["push"] = PushSettings.Read,
        ["security"] = SecuritySettings.Read,
    };

    [Theory]
    [InlineData("api", ConfigurationVariables.Port)]
    [InlineData("market", ConfigurationVariables.SimTickMs)]
    [InlineData("venue", ConfigurationVariables.ExecutionMode)]
    [InlineData("storage", ConfigurationVariables.StoragePrefix)]
    [InlineData("push", ConfigurationVariables.HubUrl)]
    [InlineData("security", ConfigurationVariables.RateLimitBurst)]
    public void A_concern_reports_its_own_bad_value_and_no_other(string concern, string variable)
    {
        var settings = new SettingReader(new ConfigurationBuilder().AddInMemoryCollection(s_oneBadValuePerConcern).Build());

        s_readers[concern](settings);

        Assert.Equal([variable], settings.Errors.Select(e => e.Variable));
    }

    [Fact]
    public void The_loader_reports_the_bad_value_of_every_concern_in_one_start()
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() =>
            GatewayOptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(s_oneBadValuePerConcern).Build()));

        Assert.Equal(s_oneBadValuePerConcern.Keys.Order(StringComparer.Ordinal), ex.Errors.Select(e => e.Variable).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_concern_is_registered_as_the_instance_the_validated_whole_holds()
    {
        var options = GatewayOptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ConfigurationVariables.Port] = "9090",
            [ConfigurationVariables.MarketSymbol] = "ethbtc",
            [ConfigurationVariables.StoragePrefix] = "concerns",
        }).Build());

        using var services = new ServiceCollection().AddVelozOptions(options).BuildServiceProvider();

        Assert.Same(options, services.GetRequiredService<GatewayOptions>());
        Assert.Same(options.Api, services.GetRequiredService<ApiOptions>());
        Assert.Same(options.Market, services.GetRequiredService<MarketOptions>());
        Assert.Same(options.Venue, services.GetRequiredService<VenueOptions>());
        Assert.Same(options.Storage, services.GetRequiredService<StorageOptions>());
        Assert.Same(options.Push, services.GetRequiredService<PushOptions>());
        Assert.Same(options.Security, services.GetRequiredService<SecurityOptions>());
        Assert.Equal(9090, services.GetRequiredService<ApiOptions>().Port);
        Assert.Equal("ETHBTC", services.GetRequiredService<MarketOptions>().MarketSymbol);
        Assert.Equal("concerns", services.GetRequiredService<StorageOptions>().StoragePrefix);
    }
}
