using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Security;

/// <summary>
/// Says at every start whether API authentication is on and why, and warns when it is off because
/// <c>VELOZ_AUTH_ENABLED=false</c> said so, or on with no bootstrap admin key, and when any web page may
/// call an API without authentication (<c>VELOZ_CORS_ORIGINS=*</c>). Never prints a key.
/// </summary>
internal sealed partial class SecurityStartupReport(ApiAuthSettings auth, ApiKeyService keys, CorsPolicy cors, GatewayOptions options, ILogger<SecurityStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (auth.Enabled)
        {
            LogAuthOn(logger, auth.Reason, keys.HasBootstrapKey ? "set" : "not set");
            if (!keys.HasBootstrapKey)
            {
                LogNoBootstrapKey(logger);
            }
        }
        else if (auth.ExplicitlyDisabled)
        {
            LogAuthOffExplicitly(logger, options.Api.Host);
        }
        else
        {
            LogAuthOff(logger, auth.Reason);
        }

        if (!auth.Enabled && cors.AnyOrigin)
        {
            LogAnyOriginWithoutAuth(logger);
        }

        var limits = options.Security.RateLimitPerSecond > 0 ? $"{options.Security.RateLimitPerSecond}/s per key or IP, bursts of {options.Security.RateLimitBurst}" : "off";
        LogLimits(logger, limits, options.Security.AuthFailuresPerMinute > 0 ? $"{options.Security.AuthFailuresPerMinute}/min per IP" : "off");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "API authentication on ({Reason}); bootstrap admin key (VELOZ_ADMIN_API_KEY) {BootstrapKey}")]
    private static partial void LogAuthOn(ILogger logger, string reason, string bootstrapKey);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "API authentication is on but VELOZ_ADMIN_API_KEY is not set: only API keys already stored are accepted, and nobody can create one")]
    private static partial void LogNoBootstrapKey(ILogger logger);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "API authentication is OFF (VELOZ_AUTH_ENABLED=false): anyone who can reach this API (VELOZ_HOST {Host}, or the Function App) can trade, cancel and use the admin endpoints")]
    private static partial void LogAuthOffExplicitly(ILogger logger, string host);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "API authentication off ({Reason}); set VELOZ_AUTH_ENABLED=true to require API keys")]
    private static partial void LogAuthOff(ILogger logger, string reason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "VELOZ_CORS_ORIGINS=* with API authentication off: any web page open in a browser on this machine can place orders, cancel them and read the account; list the origins that may call the API instead")]
    private static partial void LogAnyOriginWithoutAuth(ILogger logger);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "API rate limits: requests {Requests}; failed authentications {Failures}")]
    private static partial void LogLimits(ILogger logger, string requests, string failures);
}
