using VeloZ.Push.Azure;

namespace VeloZ.Functions.Push;

/// <summary>The Azure mode: Azure SignalR Service's client URL and a token signed with the connection string's access key.</summary>
public sealed class AzurePushAccess(AzureSignalRClientAccess access) : IPushAccess
{
    public Task<PushEndpoint?> GetAsync(string? userId, CancellationToken cancellationToken)
    {
        var info = access.GetConnectionInfo(userId);
        return Task.FromResult<PushEndpoint?>(new PushEndpoint(info.Url, info.AccessToken));
    }
}
