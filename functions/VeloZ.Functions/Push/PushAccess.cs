using VeloZ.Functions.Runtime;
using VeloZ.Push.Azure;
using VeloZ.Push;

namespace VeloZ.Functions.Push;

/// <summary>Where SignalR clients connect and the short-lived token they connect with (what negotiate answers).</summary>
public sealed record PushEndpoint(string Url, string AccessToken);

/// <summary>Gives SignalR clients (and the API's own subscription) the hub URL and an access token.</summary>
public interface IPushAccess
{
    /// <summary>The endpoint, or null while it is not known yet (the worker's hub has not reported its address).</summary>
    Task<PushEndpoint?> GetAsync(string? userId, CancellationToken cancellationToken);
}

/// <summary>
/// The self-hosted mode: the worker's hub address from its status row, and a token signed with the key the
/// worker drew at its start and wrote next to that address (<see cref="LocalHub"/>), for that hub's client
/// URL. A worker that restarts draws a new key: tokens issued before stop working and clients negotiate again.
/// </summary>
public sealed class LocalPushAccess(WorkerStatusView worker, TimeProvider clock) : IPushAccess
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public async Task<PushEndpoint?> GetAsync(string? userId, CancellationToken cancellationToken)
    {
        var snapshot = await worker.ReadRecentAsync(cancellationToken);
        if (snapshot.Status is not { HubUrl: { } baseUrl, HubTokenKey: { IsEmpty: false } key })
        {
            return null;
        }

        var url = LocalHub.ClientUrl(baseUrl);
        return new PushEndpoint(url, new SignalRTokenIssuer(key, clock).Issue(url, TokenLifetime, userId).Value);
    }
}
