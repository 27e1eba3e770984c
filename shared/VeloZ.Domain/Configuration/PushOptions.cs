namespace VeloZ.Domain.Configuration;

/// <summary>
/// How events reach clients: through Azure SignalR Service or through the worker's own SignalR hub.
/// Each property is named after its variable (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record PushOptions
{
    /// <summary>
    /// <c>AzureSignalRConnectionString</c>: when present, events are published through Azure SignalR Service
    /// (serverless, REST API); when absent, through the worker's own SignalR hub.
    /// </summary>
    public Secret AzureSignalRConnectionString { get; init; } = Secret.Empty;

    /// <summary><c>VELOZ_HUB_URL</c>: where the worker's own SignalR hub listens (self-hosted mode; port 0 = any free port).</summary>
    public Uri HubUrl { get; init; } = new("http://127.0.0.1:8081");

    /// <summary>True when events go through Azure SignalR Service rather than the worker's own hub.</summary>
    public bool UsesAzureSignalR => !AzureSignalRConnectionString.IsEmpty;
}
