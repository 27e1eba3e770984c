using VeloZ.Domain.Configuration;
using VeloZ.Push;

namespace VeloZ.Worker.Events;

/// <summary>
/// What the worker's own hub accepts tokens by: the signing key drawn at this start, and the audience — the
/// client URL the hub reports (<see cref="LocalHub.ClientUrl"/>), known once Kestrel has bound its port.
/// Until then no token is accepted.
/// </summary>
internal sealed class LocalHubIdentity
{
    private volatile string? _audience;

    public Secret SigningKey { get; } = LocalHub.NewSigningKey();

    /// <summary>The exact <c>aud</c> tokens must carry, or null before the hub listens.</summary>
    public string? Audience => _audience;

    public void Listening(string baseUrl) => _audience = LocalHub.ClientUrl(baseUrl);
}
