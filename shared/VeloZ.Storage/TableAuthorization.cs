using System.Security.Cryptography;
using System.Text;
using Azure.Core;

namespace VeloZ.Storage;

/// <summary>
/// How <see cref="TableRowClient"/> authorizes a Table service request: the account's shared key
/// (<c>SharedKey</c> scheme), a shared access signature, or a Microsoft Entra token (managed identity),
/// chosen from the same <see cref="StorageConnection"/> as every other storage client.
/// </summary>
internal abstract class TableAuthorization
{
    /// <summary>How requests are authorized: <c>SharedKey</c>, <c>SAS</c> or <c>Bearer</c>.</summary>
    public abstract string Scheme { get; }

    /// <summary>Authorizes <paramref name="request"/>, whose <c>x-ms-date</c> header is <paramref name="date"/> (RFC 1123).</summary>
    public abstract ValueTask AuthorizeAsync(HttpRequestMessage request, string date, CancellationToken cancellationToken);

    /// <summary>The table endpoint and authorization of <paramref name="connection"/>: identity, or a connection string with a key or SAS.</summary>
    /// <exception cref="FormatException">The connection string has no table endpoint, account or credential this client understands.</exception>
    public static (Uri Endpoint, TableAuthorization Authorization) For(StorageConnection connection, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Credential is { } credential)
        {
            return (connection.Identity!.TableServiceUri, new TokenAuthorization(credential, clock));
        }

        var parts = ParseConnectionString(connection.ConnectionString.Reveal());
        string? name;
        string? key;
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
        {
            // The storage emulator's documented well-known account.
            name = "devstoreaccount1";
            key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
            parts.TryAdd("TableEndpoint", "http://127.0.0.1:10002/devstoreaccount1");
        }
        else
        {
            parts.TryGetValue("AccountName", out name);
            parts.TryGetValue("AccountKey", out key);
        }

        Uri endpoint;
        if (parts.TryGetValue("TableEndpoint", out var table))
        {
            endpoint = new Uri(table, UriKind.Absolute);
        }
        else if (name is not null)
        {
            var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = new Uri($"{protocol}://{name}.table.{suffix}", UriKind.Absolute);
        }
        else
        {
            throw new FormatException("The connection string names no table endpoint and no account.");
        }

        if (parts.TryGetValue("SharedAccessSignature", out var sas))
        {
            return (endpoint, new SasAuthorization(sas));
        }

        if (name is null || key is null)
        {
            throw new FormatException("The connection string has neither an account key nor a shared access signature.");
        }

        return (endpoint, new SharedKeyAuthorization(name, Convert.FromBase64String(key)));
    }

    private static Dictionary<string, string> ParseConnectionString(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException("A connection string segment is not name=value.");
            }

            parts[segment[..eq]] = segment[(eq + 1)..];
        }

        return parts;
    }
}

/// <summary>
/// The Table service's <c>SharedKey</c> scheme: HMAC-SHA256 with the account key of verb, Content-MD5 (empty),
/// Content-Type, date and the canonical resource (<c>/account/path</c>).
/// </summary>
internal sealed class SharedKeyAuthorization(string accountName, byte[] accountKey) : TableAuthorization
{
    public override string Scheme => "SharedKey";

    public override ValueTask AuthorizeAsync(HttpRequestMessage request, string date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("Authorization", Sign(request.Method.Method, request.Content?.Headers.ContentType?.ToString(), date, request.RequestUri!.AbsolutePath));
        return ValueTask.CompletedTask;
    }

    /// <summary>The <c>Authorization</c> header value for a request with these parts.</summary>
    public string Sign(string verb, string? contentType, string date, string absolutePath)
    {
        var toSign = $"{verb}\n\n{contentType}\n{date}\n/{accountName}{absolutePath}";
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(toSign), mac);
        return $"SharedKey {accountName}:{Convert.ToBase64String(mac)}";
    }
}

/// <summary>A shared access signature from the connection string: appended to each request's query, no header.</summary>
internal sealed class SasAuthorization(string sas) : TableAuthorization
{
    private readonly string _sas = sas.TrimStart('?');

    public override string Scheme => "SAS";

    public override ValueTask AuthorizeAsync(HttpRequestMessage request, string date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri!;
        request.RequestUri = new Uri(uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? "?" : "&") + _sas);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A Microsoft Entra token for Azure Storage from the managed-identity credential, as <c>Bearer</c>: fetched
/// once, reused, and fetched again five minutes before it expires (one fetch at a time).
/// </summary>
internal sealed class TokenAuthorization(TokenCredential credential, TimeProvider clock) : TableAuthorization, IDisposable
{
    private static readonly string[] s_scopes = ["https://storage.azure.com/.default"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken _token;

    public override string Scheme => "Bearer";

    public override async ValueTask AuthorizeAsync(HttpRequestMessage request, string date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await TokenAsync(cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn > clock.GetUtcNow().AddMinutes(5))
        {
            return _token.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token.ExpiresOn <= clock.GetUtcNow().AddMinutes(5))
            {
                _token = await credential.GetTokenAsync(new TokenRequestContext(s_scopes), cancellationToken).ConfigureAwait(false);
            }

            return _token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
