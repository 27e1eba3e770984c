namespace VeloZ.Push.Azure;

/// <summary>
/// What a SignalR client needs to connect to the hub through Azure SignalR Service: the client URL
/// <c>{ClientEndpoint or Endpoint[:Port]}/client/?hub={hub, lower-cased}</c> and a token whose <c>aud</c> is exactly
/// that URL. <c>POST /api/negotiate</c> returns it as <c>{url, accessToken}</c> (the SignalR "redirect" negotiate answer);
/// the API process uses the same pair to subscribe itself with the .NET SignalR client.
/// </summary>
public sealed class AzureSignalRClientAccess
{
    private readonly SignalRTokenIssuer _issuer;
    private readonly TimeSpan _lifetime;

    public AzureSignalRClientAccess(SignalRConnectionString connectionString, AzureSignalROptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _issuer = new SignalRTokenIssuer(connectionString.AccessKey, timeProvider);
        _lifetime = options.ClientTokenLifetime;
        ClientUrl = $"{SignalRConnectionString.Trimmed(connectionString.ClientEndpoint)}/client/?hub={options.Hub.ToLowerInvariant()}";
    }

    /// <summary>The hub URL clients are redirected to; also the <c>aud</c> of their tokens.</summary>
    public string ClientUrl { get; }

    /// <summary>A fresh client URL and token; <paramref name="userId"/>, when given, becomes the connection's user.</summary>
    public SignalRClientConnectionInfo GetConnectionInfo(string? userId = null) =>
        new(ClientUrl, _issuer.Issue(ClientUrl, _lifetime, userId).Value);
}

/// <summary>The negotiate answer: where to connect and with which token. <see cref="ToString"/> never shows the token.</summary>
public sealed record SignalRClientConnectionInfo(string Url, string AccessToken)
{
    public override string ToString() => $"SignalRClientConnectionInfo({Url})";
}
