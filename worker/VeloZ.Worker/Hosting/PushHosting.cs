using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
/// <c>Authorization</c> header), and reports the hub's address in the status row for the API.
/// </summary>
internal static class PushHosting
{
    public static IServiceCollection AddVelozPush(this IServiceCollection services, GatewayOptions options)
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

        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LocalHub.SigningKey(options).Reveal()));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKey = key,
                ValidateIssuerSigningKey = true,
                ValidateIssuer = false,
                // Clients may reach the hub under another host name than the one negotiate wrote into
                // the audience; signature and lifetime are what protect it.
                ValidateAudience = false,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            };
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

    public static void ConfigureKestrel(WebApplicationBuilder builder, GatewayOptions options)
    {
        var host = options.HubUrl.Host;
        var address = host is "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var ip) ? ip : IPAddress.Any;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.HubUrl.Port);
        });
    }

    public static void MapEndpoints(WebApplication app, GatewayOptions options)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/healthz", () => Results.Ok(new { ok = true }));
        if (!options.UsesAzureSignalR)
        {
            app.MapHub<VelozHub>(LocalHub.Path);
        }
    }

    /// <summary>Writes the address the hub actually listens on (port 0 resolved) into the status row.</summary>
    public static void ReportHubUrl(WebApplication app, GatewayOptions options)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is null || !Uri.TryCreate(bound, UriKind.Absolute, out var uri))
        {
            return;
        }

        var host = options.HubUrl.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : options.HubUrl.Host;
        app.Services.GetRequiredService<WorkerState>().HubUrl($"{options.HubUrl.Scheme}://{host}:{uri.Port}");
    }
}
