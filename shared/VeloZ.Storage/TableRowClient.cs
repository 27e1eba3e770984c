using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Core;

namespace VeloZ.Storage;

/// <summary>
/// The order path's own Table storage writer: single-entity inserts and ETag-checked updates, and
/// entity-group transactions of them, spoken directly over HTTP in the Table service's documented REST
/// protocol (JSON entities, <c>Prefer: return-no-content</c>, <c>$batch</c> multipart bodies). It exists for
/// two reasons a user of the gateway feels:
/// <list type="bullet">
/// <item><b>No blind re-sends.</b> A general-purpose storage client retries a failed request by itself,
/// inserts included; an insert whose first try landed but whose answer was lost then comes back "the row
/// exists", and the order would be taken for a duplicate. Here nothing is re-sent automatically: an
/// unknown outcome is reported as such and resolved by reading the row (see <see cref="OrderRowWriter"/>).</item>
/// <item><b>Less work per order.</b> The entity is written straight to UTF-8 JSON and a transaction body
/// straight to bytes; no request pipeline, no per-request policy objects. Orders are the one hot write.</item>
/// </list>
/// Authentication is the account's shared key (<c>SharedKey</c> scheme) from the connection string, a SAS
/// from the connection string, or a Microsoft Entra token (managed identity) from the same
/// <see cref="TokenCredential"/> the rest of the storage code uses. Reads and all other tables stay on the
/// Azure SDK.
/// </summary>
internal sealed class TableRowClient : IRowWriteClient, IDisposable
{
    /// <summary>The Table service version spoken (the first that accepts Microsoft Entra tokens).</summary>
    public const string ServiceVersion = "2019-02-02";

    private static readonly string[] s_tokenScopes = ["https://storage.azure.com/.default"];

    /// <summary>Merge Entity's documented verb.</summary>
    private static readonly HttpMethod s_merge = new("MERGE");

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string? _accountName;
    private readonly byte[]? _accountKey;
    private readonly string? _sas;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private AccessToken _token;

    private TableRowClient(Uri endpoint, string? accountName, byte[]? accountKey, string? sas, TokenCredential? credential, TimeSpan timeout, TimeProvider? clock)
    {
        _clock = clock ?? TimeProvider.System;
        _endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/");
        _accountName = accountName;
        _accountKey = accountKey;
        _sas = sas;
        _credential = credential;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            Timeout = timeout,
        };
    }

    /// <summary>The table service endpoint requests go to.</summary>
    internal Uri Endpoint => _endpoint;

    /// <summary>How requests are authorized: <c>SharedKey</c>, <c>SAS</c> or <c>Bearer</c>.</summary>
    internal string Authorization => _sas is not null ? "SAS" : _credential is not null ? "Bearer" : "SharedKey";

    /// <summary>Builds the client for <paramref name="connection"/>: connection string (shared key or SAS) or identity.</summary>
    /// <exception cref="FormatException">The connection string has no table endpoint, account or credential this client understands.</exception>
    public static TableRowClient Create(StorageConnection connection, TimeSpan timeout, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Credential is { } credential)
        {
            return new TableRowClient(connection.Identity!.TableServiceUri, null, null, null, credential, timeout, clock);
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
            return new TableRowClient(endpoint, null, null, sas.TrimStart('?'), null, timeout, clock);
        }

        if (name is null || key is null)
        {
            throw new FormatException("The connection string has neither an account key nor a shared access signature.");
        }

        return new TableRowClient(endpoint, name, Convert.FromBase64String(key), null, null, timeout, clock);
    }

    /// <summary>A client on <paramref name="endpoint"/> authorized with Microsoft Entra tokens from <paramref name="credential"/>.</summary>
    internal static TableRowClient WithToken(Uri endpoint, TokenCredential credential, TimeSpan timeout, TimeProvider? clock = null) =>
        new(endpoint, null, null, null, credential, timeout, clock);

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

    /// <summary>
    /// Writes one row: an insert (with the extra string column <see cref="RowOperation.WriteIdColumn"/> when
    /// given) or, when the operation carries an ETag, an update of the row if it still has that ETag.
    /// </summary>
    public async Task<RowWriteResult> WriteAsync(string table, RowOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var request = operation.ETag is null
            ? new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, Uri.EscapeDataString(table)))
            : new HttpRequestMessage(s_merge, new Uri(_endpoint, EntityPath(table, operation.Entity.PartitionKey, operation.Entity.RowKey)));
        if (operation.ETag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", operation.ETag);
        }

        var content = new ByteArrayContent(EntityJson(operation));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content = content;
        return await ExchangeAsync(request, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="operations"/> (all of one partition) as one entity-group transaction: every
    /// operation is applied, or none. On success, each operation's new ETag in order.
    /// </summary>
    public async Task<RowWriteResult> SubmitAsync(string table, IReadOnlyList<RowOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var tableUri = new Uri(_endpoint, Uri.EscapeDataString(table)).AbsoluteUri;
        var body = new ArrayBufferWriter<byte>(1024 * operations.Count);
        Ascii(body, $"--{batch}\r\nContent-Type: multipart/mixed; boundary={changeset}\r\n\r\n");
        foreach (var op in operations)
        {
            Ascii(body, $"--{changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            if (op.ETag is null)
            {
                Ascii(body, $"POST {tableUri} HTTP/1.1\r\n");
            }
            else
            {
                Ascii(body, $"MERGE {new Uri(_endpoint, EntityPath(table, op.Entity.PartitionKey, op.Entity.RowKey)).AbsoluteUri} HTTP/1.1\r\nIf-Match: {op.ETag}\r\n");
            }

            Ascii(body, "Accept: application/json;odata=nometadata\r\nContent-Type: application/json\r\nPrefer: return-no-content\r\nDataServiceVersion: 3.0\r\n\r\n");
            var json = EntityJson(op);
            json.AsSpan().CopyTo(body.GetSpan(json.Length));
            body.Advance(json.Length);
            Ascii(body, "\r\n");
        }

        Ascii(body, $"--{changeset}--\r\n--{batch}--\r\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, "$batch"));
        request.Content = new ReadOnlyMemoryContent(body.WrittenMemory);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={batch}");
        request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");

        return await ExchangeAsync(request, operations.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the parts of a <c>$batch</c> answer: each operation's status and ETag, or the failed one.</summary>
    internal static RowWriteResult ParseBatchResponse(string text, int count)
    {
        var etags = new string?[count];
        var index = 0;
        var line = text.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
        while (line >= 0)
        {
            var status = int.Parse(text.AsSpan(line + 9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            var next = text.IndexOf("HTTP/1.1 ", line + 9, StringComparison.Ordinal);
            var end = next < 0 ? text.Length : next;
            if (status is < 200 or > 299)
            {
                var part = text[line..end];
                var message = ErrorMessage(part);
                return RowWriteResult.FromStatus(status, ErrorCodeIn(part), FailedIndex(message), message);
            }

            if (index >= count)
            {
                return RowWriteResult.Unknown("more answers than operations");
            }

            etags[index++] = ETagIn(text, line, end);
            line = next;
        }

        return index == count ? RowWriteResult.Succeeded(etags) : RowWriteResult.Unknown($"{index} answers for {count} operations");
    }

    /// <summary>The value of the <c>ETag</c> header among the part's headers (between <paramref name="start"/> and <paramref name="end"/>).</summary>
    private static string? ETagIn(string text, int start, int end)
    {
        var headersEnd = text.IndexOf("\r\n\r\n", start, end - start, StringComparison.Ordinal);
        var limit = headersEnd < 0 ? end : headersEnd;
        var at = text.IndexOf("\r\nETag:", start, limit - start, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var valueStart = at + 7;
        var lineEnd = text.IndexOf("\r\n", valueStart, StringComparison.Ordinal);
        return text[valueStart..(lineEnd < 0 ? end : lineEnd)].Trim();
    }

    /// <summary>
    /// One request's answer: a single write's ETag, a transaction's parts (<paramref name="operations"/> is
    /// its operation count), or what went wrong. No answer at all is an unknown outcome, never an error.
    /// </summary>
    private async Task<RowWriteResult> ExchangeAsync(HttpRequestMessage request, int? operations, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (operations is null && status is >= 200 and <= 299)
            {
                return RowWriteResult.Succeeded([Header(response, "ETag")]);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (operations is { } count && status == 202)
            {
                return ParseBatchResponse(text, count);
            }

            // A single write's failed condition is its own (index 0); a whole transaction refused names none.
            return RowWriteResult.FromStatus(status, ErrorCode(response, text), operations is null ? 0 : -1, ErrorMessage(text));
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            return RowWriteResult.Unknown(ex.GetType().Name);
        }
    }

    private static bool IsTransport(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var date = _clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", ServiceVersion);
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
        request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
        if (_sas is not null)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new Uri(uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? "?" : "&") + _sas);
        }
        else if (_credential is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await TokenAsync(cancellationToken).ConfigureAwait(false));
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Authorization", SharedKey(request, date));
        }

        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Table service's SharedKey authorization: HMAC-SHA256 of verb, Content-MD5, Content-Type, date and the canonical resource.</summary>
    private string SharedKey(HttpRequestMessage request, string date)
    {
        var uri = request.RequestUri!;
        var contentType = request.Content?.Headers.ContentType?.ToString() ?? string.Empty;
        var resource = "/" + _accountName + uri.AbsolutePath;
        var toSign = $"{request.Method.Method}\n\n{contentType}\n{date}\n{resource}";
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_accountKey, Encoding.UTF8.GetBytes(toSign), mac);
        return $"SharedKey {_accountName}:{Convert.ToBase64String(mac)}";
    }

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn > _clock.GetUtcNow().AddMinutes(5))
        {
            return _token.Token;
        }

        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token.ExpiresOn <= _clock.GetUtcNow().AddMinutes(5))
            {
                _token = await _credential!.GetTokenAsync(new TokenRequestContext(s_tokenScopes), cancellationToken).ConfigureAwait(false);
            }

            return _token.Token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>The entity's address: <c>table(PartitionKey='…',RowKey='…')</c>, quotes doubled, then escaped.</summary>
    private static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{Uri.EscapeDataString(table)}(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}',RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')";

    /// <summary>
    /// The operation's entity as the Table service's JSON: Int64, DateTime, Double, Guid and Binary values carry
    /// their type annotation; an insert also carries its write id.
    /// </summary>
    internal static byte[] EntityJson(RowOperation operation)
    {
        var entity = operation.Entity;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("PartitionKey", entity.PartitionKey);
            w.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity)
            {
                if (name is "PartitionKey" or "RowKey" or "odata.etag" or "Timestamp" || value is null)
                {
                    continue;
                }

                switch (value)
                {
                    case string s:
                        w.WriteString(name, s);
                        break;
                    case bool b:
                        w.WriteBoolean(name, b);
                        break;
                    case int i:
                        w.WriteNumber(name, i);
                        break;
                    case long l:
                        w.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                        w.WriteString(name + "@odata.type", "Edm.Int64");
                        break;
                    case double d:
                        w.WriteNumber(name, d);
                        w.WriteString(name + "@odata.type", "Edm.Double");
                        break;
                    case DateTimeOffset t:
                        w.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                        w.WriteString(name + "@odata.type", "Edm.DateTime");
                        break;
                    case Guid g:
                        w.WriteString(name, g.ToString("D"));
                        w.WriteString(name + "@odata.type", "Edm.Guid");
                        break;
                    case byte[] bytes:
                        w.WriteBase64String(name, bytes);
                        w.WriteString(name + "@odata.type", "Edm.Binary");
                        break;
                    default:
                        throw new NotSupportedException($"Column {name} has a type Table storage rows here do not carry ({value.GetType().Name}).");
                }
            }

            if (operation.ETag is null && operation.WriteIdColumn is not null && operation.WriteId is not null)
            {
                w.WriteString(operation.WriteIdColumn, operation.WriteId);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        buffer.Advance(written);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? ErrorCode(HttpResponseMessage response, string text) =>
        Header(response, "x-ms-error-code") ?? ErrorCodeIn(text);

    /// <summary>The <c>code</c> of an OData error body.</summary>
    private static string? ErrorCodeIn(string text) => JsonStringAfter(text, "\"code\":");

    /// <summary>The message of an OData error body; in a transaction it starts with the failed operation's index ("3:…").</summary>
    private static string? ErrorMessage(string text) => JsonStringAfter(text, "\"value\":");

    private static string? JsonStringAfter(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = text.IndexOf('"', at + marker.Length);
        if (start < 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text[start..]));
            return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The index before the colon of a transaction's error message ("2:The specified entity already exists…"); -1 when absent.</summary>
    internal static int FailedIndex(string? message)
    {
        if (message is null)
        {
            return -1;
        }

        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenGate.Dispose();
    }
}
