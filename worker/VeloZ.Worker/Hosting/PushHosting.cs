using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Tokens;
using VeloZ.Domain.Configuration;
using VeloZ.Push;
using VeloZ.Push.Azure;
using VeloZ.Worker.Events;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Hosting;

/// <summary>
/// The worker's push side. Without <c>AzureSignalRConnectionString</c> it hosts the SignalR hub <c>veloz</c> at
/// <c>VELOZ_HUB_URL</c> (path <c>/client</c>, like Azure SignalR Service's client endpoint), accepting the same
/// HS256 access tokens (from the <c>access_token</c> query parameter for WebSockets and SSE, or the
/// <c>Authorization</c> header) signed with a key drawn at this start and addressed to this hub, and reports
/// the hub's address and that key in the status row for the API (which signs the tokens negotiate hands out).
/// </summary>
internal static class PushHosting
{
    public static IServiceCollection AddVelozPush(this IServiceCollection services, PushOptions options)
    {
        services.AddSignalR(hub =>
        {
            hub.KeepAliveInterval = TimeSpan.FromSeconds(10);
            hub.ClientTimeoutInterval = TimeSpan.FromSeconds(30);
        });
        if (options.UsesAzureSignalR)
        {
            services.AddAzureSignalRPublisher(SignalRConnectionString.Parse(options.AzureSignalRConnectionString));
            services.AddSingleton<IEventSink, PublisherSink>();
        }
        else
        {
            services.AddSingleton<IEventSink, LocalHubSink>();
        }

        var identity = new LocalHubIdentity();
        services.AddSingleton(identity);
        services.AddSingleton<IUserIdProvider, TokenUserIdProvider>();
        services.AddSingleton<HubConnections>();
        services.AddSingleton<HubKeyWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<HubKeyWatch>());
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = TokenValidation(identity);
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments(LocalHub.Path) && context.Request.Query["access_token"] is { Count: > 0 } token)
                    {
                        context.Token = token.ToString();
                    }

                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization();
        return services;
    }

    /// <summary>
    /// How the hub checks a token, as Azure SignalR Service does: HS256 with this start's key, within its
    /// lifetime, and for exactly this hub — <c>aud</c> must equal the client URL the hub reports.
    /// </summary>
    internal static TokenValidationParameters TokenValidation(LocalHubIdentity identity) => new()
    {
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(identity.SigningKey.Reveal())),
        ValidateIssuerSigningKey = true,
        ValidateIssuer = false,
        ValidateAudience = true,
        AudienceValidator = (audiences, _, _) => identity.Audience is { } expected && audiences.Contains(expected, StringComparer.Ordinal),
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "nameid",
    };

    /// <summary>
    /// The hub listens on the address <c>VELOZ_HUB_URL</c> names when it is an IP address (<c>0.0.0.0</c> or
    /// <c>[::]</c> to listen on every interface, on purpose), and on loopback for any host name: a name is no
    /// reason to open the hub to the network.
    /// </summary>
    internal static IPAddress ListenAddress(Uri hubUrl)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        return IPAddress.TryParse(hubUrl.Host.Trim('[', ']'), out var ip) ? ip : IPAddress.Loopback;
    }

    public static void ConfigureKestrel(WebApplicationBuilder builder, PushOptions options)
    {
        var address = ListenAddress(options.HubUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.HubUrl.Port);
        });
    }

    public static void MapEndpoints(WebApplication app, PushOptions options)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/healthz", () => Results.Ok(new { ok = true }));
        app.MapGet("/health/live", () => Results.Ok(new { ok = true, reasons = Array.Empty<string>() }));
        app.MapGet("/health/ready", (WorkerState state, TimeProvider clock) =>
        {
            var reasons = WorkerProbes.Reasons(state, clock.GetUtcNow());
            return reasons.Count == 0
                ? Results.Ok(new { ok = true, reasons })
                : Results.Json(new { ok = false, reasons }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        if (!options.UsesAzureSignalR)
        {
            app.MapHub<VelozHub>(LocalHub.Path);
        }
    }

    /// <summary>Writes the address the hub actually listens on (port 0 resolved) into the status row.</summary>
    public static void ReportHubUrl(WebApplication app, PushOptions options)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is null || !Uri.TryCreate(bound, UriKind.Absolute, out var uri))
        {
            return;
        }

        var host = options.HubUrl.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : options.HubUrl.Host;
        var baseUrl = $"{options.HubUrl.Scheme}://{host}:{uri.Port}";
        var identity = app.Services.GetRequiredService<LocalHubIdentity>();
        identity.Listening(baseUrl);
        app.Services.GetRequiredService<WorkerState>().HubUrl(baseUrl, identity.SigningKey);
    }
}
