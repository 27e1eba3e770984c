using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>Reads and validates <see cref="PushOptions"/>.</summary>
internal static class PushSettings
{
    public static PushOptions Read(SettingReader settings)
    {
        var defaults = new PushOptions();
        return new PushOptions
        {
            AzureSignalRConnectionString = ReadSignalRConnection(settings),
            HubUrl = settings.Url(V.HubUrl, defaults.HubUrl, ["http", "https"]),
        };
    }

    private static Secret ReadSignalRConnection(SettingReader settings)
    {
        if (settings.Read(V.AzureSignalRConnection) is not { } text)
        {
            return Secret.Empty;
        }

        // Shape only (the full parse is VeloZ.Push's); the value carries an access key and is never echoed.
        var keys = SettingReader.ConnectionStringKeys(text);
        if (!keys.Contains("endpoint") || !keys.Contains("accesskey"))
        {
            settings.Fail(V.AzureSignalRConnection, "invalid value (not shown); expected Endpoint=https://<name>.service.signalr.net;AccessKey=<key>;Version=1.0;");
            return Secret.Empty;
        }

        return new Secret(text);
    }
}
