using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Push.Azure;

namespace VeloZ.Push.Tests;

public sealed class RegistrationTests
{
    private const string Key = "FTRTcpGwz+4NLEtqiajH5gUkQ2KBoL/e/Rw7WnmYt9Y=";

    [Fact]
    public void One_call_registers_the_publisher_and_the_client_access_for_the_hub()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock);

        services.AddAzureSignalRPublisher(
            SignalRConnectionString.Parse($"Endpoint=https://x.service.signalr.net;AccessKey={Key};Version=1.0;"),
            configure: o => o.ClientTokenLifetime = TimeSpan.FromMinutes(30));
        using var provider = services.BuildServiceProvider();

        var publisher = provider.GetRequiredService<IEventPublisher>();
        Assert.Same(provider.GetRequiredService<AzureSignalRRestPublisher>(), publisher);
        Assert.Equal("https://x.service.signalr.net/api/hubs/veloz/:send?api-version=2022-06-01", ((AzureSignalRRestPublisher)publisher).SendUrl.AbsoluteUri);
        var access = provider.GetRequiredService<AzureSignalRClientAccess>();
        Assert.Equal("https://x.service.signalr.net/client/?hub=veloz", access.ClientUrl);
        Assert.Equal(clock.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds(), Jwt.Parse(access.GetConnectionInfo().AccessToken).Exp);
    }

    [Fact]
    public void A_wrong_option_stops_registration_and_names_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAzureSignalRPublisher(
            SignalRConnectionString.Parse($"Endpoint=https://x.service.signalr.net;AccessKey={Key};"),
            configure: o => o.MaxAttempts = 0));

        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }
}
