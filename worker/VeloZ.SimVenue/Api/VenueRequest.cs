using VeloZ.SimVenue.Engine;

namespace VeloZ.SimVenue.Api;

internal enum Transport
{
    Rest,
    WebSocketApi,
}

/// <summary>
/// One request as the venue sees it, whatever the transport: decoded parameters, the caller's IP, and
/// for signed requests the key, the exact signed payload and the signature.
/// </summary>
internal sealed class VenueRequest
{
    public required Transport Transport { get; init; }

    public required IReadOnlyDictionary<string, string> Params { get; init; }

    public required string ClientIp { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>REST: raw query minus the signature pair + raw body minus it; WebSocket API: sorted <c>name=value</c> pairs.</summary>
    public string SignaturePayload { get; init; } = string.Empty;

    public string? Signature { get; init; }

    /// <summary>A transport-level refusal (e.g. a duplicated parameter) the pipeline answers after counting the request.</summary>
    public VenueRejection? TransportRejection { get; init; }

    /// <summary>Set by authentication.</summary>
    public SimAccount? Account { get; set; }

    public SimAccount RequireAccount => Account ?? throw new InvalidOperationException("The request was not authenticated.");

    public string? Get(string name) => Params.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public bool Has(string name) => Get(name) is not null;

    public string Require(string name) => Get(name) ?? throw VenueErrors.Mandatory(name);
}
