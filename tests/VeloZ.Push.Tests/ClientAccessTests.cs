using Microsoft.Extensions.Time.Testing;
using VeloZ.Push.Azure;

namespace VeloZ.Push.Tests;

public sealed class ClientAccessTests
{
    private const string Key = "FTRTcpGwz+4NLEtqiajH5gUkQ2KBoL/e/Rw7WnmYt9Y=";
    private static readonly DateTimeOffset s_start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(s_start);

    private AzureSignalRClientAccess Access(string connectionString, AzureSignalROptions? options = null) =>
        new(SignalRConnectionString.Parse(connectionString), options ?? new AzureSignalROptions(), _clock);

    [Theory]
    [InlineData("Endpoint=https://veloz.service.signalr.net;AccessKey={key};Version=1.0;", "https://veloz.service.signalr.net/client/?hub=veloz")]
    [InlineData("Endpoint=https://veloz.service.signalr.net/;AccessKey={key};Version=1.0;", "https://veloz.service.signalr.net/client/?hub=veloz")]
    [InlineData("Endpoint=http://localhost;Port=8888;AccessKey={key};Version=1.0;", "http://localhost:8888/client/?hub=veloz")]
    [InlineData("Endpoint=https://veloz.service.signalr.net;ClientEndpoint=https://push.example.com;AccessKey={key};Version=1.0;", "https://push.example.com/client/?hub=veloz")]
    [InlineData("Endpoint=https://veloz.service.signalr.net;ClientEndpoint=https://gw.example.com/signalr/;AccessKey={key};Version=1.0;", "https://gw.example.com/signalr/client/?hub=veloz")]
    public void The_client_url_follows_the_connection_string(string connectionString, string expected) =>
        Assert.Equal(expected, Access(connectionString.Replace("{key}", Key, StringComparison.Ordinal)).ClientUrl);

    [Fact]
    public void The_hub_is_lower_cased()
    {
        var access = Access($"Endpoint=https://x.service.signalr.net;AccessKey={Key};", new AzureSignalROptions { Hub = "VeloZ_Main" });

        Assert.Equal("https://x.service.signalr.net/client/?hub=veloz_main", access.ClientUrl);
    }

    [Fact]
    public void The_token_is_for_exactly_the_client_url_and_lives_one_hour_by_default()
    {
        var access = Access($"Endpoint=https://x.service.signalr.net;AccessKey={Key};Version=1.0;");

        var info = access.GetConnectionInfo();
        var jwt = Jwt.Parse(info.AccessToken);

        Assert.Equal("https://x.service.signalr.net/client/?hub=veloz", info.Url);
        Assert.Equal(info.Url, jwt.Audience);
        Assert.True(jwt.IsSignedWithUtf8Of(Key));
        Assert.Equal(s_start.AddHours(1).ToUnixTimeSeconds(), jwt.Exp);
        Assert.DoesNotContain(info.AccessToken, info.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_lifetime_and_user_are_configurable()
    {
        var access = Access($"Endpoint=https://x.service.signalr.net;AccessKey={Key};", new AzureSignalROptions { ClientTokenLifetime = TimeSpan.FromMinutes(10) });

        var jwt = Jwt.Parse(access.GetConnectionInfo("api-process").AccessToken);

        Assert.Equal(s_start.AddMinutes(10).ToUnixTimeSeconds(), jwt.Exp);
        Assert.Equal("api-process", jwt.Payload.GetProperty("asrs.s.uid").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1veloz")]
    [InlineData("ve-loz")]
    [InlineData("veloz&x=1")]
    public void Hub_names_the_service_does_not_allow_are_refused(string hub)
    {
        var error = Assert.Throws<ArgumentException>(() => Access($"Endpoint=https://x.service.signalr.net;AccessKey={Key};", new AzureSignalROptions { Hub = hub }));

        Assert.Contains("Hub", error.Message, StringComparison.Ordinal);
    }
}
