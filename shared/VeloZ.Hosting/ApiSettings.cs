using System.Net;
using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>Reads and validates <see cref="ApiOptions"/>.</summary>
internal static class ApiSettings
{
    public static ApiOptions Read(SettingReader settings)
    {
        var defaults = new ApiOptions();
        return new ApiOptions
        {
            Host = ReadHost(settings, defaults.Host),
            Port = settings.Int(V.Port, defaults.Port, 0, 65535),
            StreamMaxSeconds = settings.Int(V.StreamMaxSeconds, defaults.StreamMaxSeconds, 0, 86400),
            StreamReplayMax = settings.Int(V.StreamReplayMax, defaults.StreamReplayMax, 100, 1_000_000),
            StreamsPerKey = settings.Int(V.StreamsPerKey, defaults.StreamsPerKey, 1, 10_000),
        };
    }

    private static string ReadHost(SettingReader settings, string fallback)
    {
        if (settings.Read(V.Host) is not { } text)
        {
            return fallback;
        }

        if (IPAddress.TryParse(text, out _) || text == "localhost" || Uri.CheckHostName(text) == UriHostNameType.Dns)
        {
            return text;
        }

        settings.Fail(V.Host, $"invalid value {SettingReader.Echo(text)}; expected an IP address (e.g. 127.0.0.1, 0.0.0.0) or a host name");
        return fallback;
    }
}
