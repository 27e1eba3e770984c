using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>
/// Reads and validates <see cref="SecurityOptions"/>. Whether authentication may be off depends on where the API
/// listens, which only the API knows once it has resolved its addresses (<c>ApiAuthSettings</c> in the API).
/// </summary>
internal static class SecuritySettings
{
    public static SecurityOptions Read(SettingReader settings)
    {
        var defaults = new SecurityOptions();
        return new SecurityOptions
        {
            AuthEnabled = settings.Bool(V.AuthEnabled),
            AdminApiKey = ReadAdminKey(settings),
            RateLimitPerSecond = settings.Int(V.RateLimitPerSecond, defaults.RateLimitPerSecond, 0, 1_000_000),
            RateLimitBurst = settings.Int(V.RateLimitBurst, defaults.RateLimitBurst, 1, 1_000_000),
            AuthFailuresPerMinute = settings.Int(V.AuthFailuresPerMinute, defaults.AuthFailuresPerMinute, 0, 1_000_000),
            CorsOrigins = ReadOrigins(settings, defaults.CorsOrigins),
        };
    }

    private static Secret ReadAdminKey(SettingReader settings)
    {
        var key = settings.Secret(V.AdminApiKey);
        if (!key.IsEmpty && key.Reveal().Length < SecurityOptions.MinAdminKeyLength)
        {
            settings.Fail(V.AdminApiKey, $"invalid value (not shown); it must be at least {SecurityOptions.MinAdminKeyLength} characters, e.g. the output of 'openssl rand -hex 32'");
            return Secret.Empty;
        }

        return key;
    }

    private static IReadOnlyList<string> ReadOrigins(SettingReader settings, IReadOnlyList<string> fallback)
    {
        if (settings.Read(V.CorsOrigins) is not { } text)
        {
            return fallback;
        }

        var origins = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var origin in origins)
        {
            var valid = origin == "*" || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && origin.TrimEnd('/').Length == uri.GetLeftPart(UriPartial.Authority).Length);
            if (!valid)
            {
                settings.Fail(V.CorsOrigins, $"invalid origin {SettingReader.Echo(origin)}; expected '*' or origins such as https://app.example.com, comma-separated");
                return fallback;
            }
        }

        return origins.Length == 0 ? fallback : [.. origins.Select(o => o.TrimEnd('/'))];
    }
}
