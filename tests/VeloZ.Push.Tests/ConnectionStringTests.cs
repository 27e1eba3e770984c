using VeloZ.Domain.Configuration;
using VeloZ.Push.Azure;

namespace VeloZ.Push.Tests;

public sealed class ConnectionStringTests
{
    // Shaped like a real key: base64 with '+', '/' and padding.
    private const string Key = "FTRTcpGwz+4NLEtqiajH5gUkQ2KBoL/e/Rw7WnmYt9Y=";

    [Fact]
    public void The_portal_form_is_read()
    {
        var parsed = SignalRConnectionString.Parse($"Endpoint=https://veloz.service.signalr.net;AccessKey={Key};Version=1.0;");

        Assert.Equal(new Uri("https://veloz.service.signalr.net"), parsed.Endpoint);
        Assert.Equal(parsed.Endpoint, parsed.ClientEndpoint);
        Assert.Equal(parsed.Endpoint, parsed.ServerEndpoint);
        Assert.Null(parsed.ClientEndpointOverride);
        Assert.Equal(Key, parsed.AccessKey.Reveal());
        Assert.Equal("1.0", parsed.Version);
    }

    [Fact]
    public void Keys_are_case_insensitive_spaces_are_trimmed_and_the_trailing_slash_goes()
    {
        var parsed = SignalRConnectionString.Parse($" endpoint = https://veloz.service.signalr.net/ ; ACCESSKEY={Key} ;version=1.0");

        Assert.Equal("https://veloz.service.signalr.net", SignalRConnectionString.Trimmed(parsed.Endpoint));
        Assert.Equal(Key, parsed.AccessKey.Reveal());
    }

    [Fact]
    public void Port_applies_to_the_endpoint_and_the_other_endpoints_are_taken_as_given()
    {
        var parsed = SignalRConnectionString.Parse(
            $"Endpoint=http://localhost;Port=8888;AccessKey={Key};ClientEndpoint=https://push.example.com/signalr/;ServerEndpoint=https://internal.example.com:8443;Version=1.0;");

        Assert.Equal("http://localhost:8888", SignalRConnectionString.Trimmed(parsed.Endpoint));
        Assert.Equal("https://push.example.com/signalr", SignalRConnectionString.Trimmed(parsed.ClientEndpoint));
        Assert.Equal("https://internal.example.com:8443", SignalRConnectionString.Trimmed(parsed.ServerEndpoint));
    }

    [Fact]
    public void Version_may_be_absent_and_unknown_keys_are_ignored()
    {
        var parsed = SignalRConnectionString.Parse($"Endpoint=https://veloz.service.signalr.net;AccessKey={Key};Region=westeurope");

        Assert.Null(parsed.Version);
    }

    [Fact]
    public void A_key_containing_equals_signs_is_kept_whole()
    {
        var parsed = SignalRConnectionString.Parse("Endpoint=https://x.service.signalr.net;AccessKey=a=b==;Version=1.0");

        Assert.Equal("a=b==", parsed.AccessKey.Reveal());
    }

    [Theory]
    [InlineData("AccessKey={key};Version=1.0;", "Endpoint is missing")]
    [InlineData("Endpoint=https://x.service.signalr.net;Version=1.0;", "AccessKey is missing")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey=;Version=1.0;", "AccessKey is missing")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};Version=2.0;", "Version must be 1.x")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};Version=1;", "Version must be 1.x")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};Port=70000;", "Port must be")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};Port=-1;", "Port must be")]
    [InlineData("Endpoint=ftp://x.service.signalr.net;AccessKey={key};", "Endpoint must be an absolute http")]
    [InlineData("Endpoint=x.service.signalr.net;AccessKey={key};", "Endpoint must be an absolute http")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};ClientEndpoint=/relative;", "ClientEndpoint must be")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};ServerEndpoint=https://s?x=1;", "ServerEndpoint must be")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};accesskey={key};", "AccessKey twice")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};{key}=1;{key}=2", "a property appears twice")]
    [InlineData("Endpoint=https://x.service.signalr.net;AuthType=azure.msi;ClientId=abc;Version=1.0;", "only AccessKey authentication is supported")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey={key};AuthType=aad;Version=1.0;", "only AccessKey authentication is supported")]
    [InlineData("Endpoint=https://x.service.signalr.net AccessKey={key} Version=1.0", "Endpoint must be")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey {key}", "AccessKey is missing")]
    [InlineData("", "Endpoint is missing")]
    public void Errors_name_what_is_wrong_and_never_show_the_key(string template, string expected)
    {
        var text = template.Replace("{key}", Key, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => SignalRConnectionString.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FTRTcpGwz", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_hides_the_key()
    {
        var parsed = SignalRConnectionString.Parse(new Secret($"Endpoint=http://localhost;Port=8888;AccessKey={Key};ServerEndpoint=http://internal:9000;Version=1.0;"));

        Assert.Equal("Endpoint=http://localhost:8888;AccessKey=***;ServerEndpoint=http://internal:9000;Version=1.0;", parsed.ToString());
        Assert.Equal("***", parsed.AccessKey.ToString());
        Assert.DoesNotContain(Key, $"{parsed}", StringComparison.Ordinal);
    }
}
