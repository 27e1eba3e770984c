using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Azure.Core;

namespace VeloZ.Storage;

/// <summary>
/// VeloZ's own writer of order rows: single-entity inserts and ETag-checked merges, and entity-group
/// transactions of them, spoken directly over HTTP in the Table service's documented REST protocol (JSON
/// entities, <c>Prefer: return-no-content</c>, <c>$batch</c> multipart bodies). Orders are the one hot write,
/// and this writer does less work per order than the Azure SDK's: the entity goes straight to UTF-8 JSON
/// (<see cref="TableRowJson"/>) and a transaction straight to bytes (<see cref="TableBatchCodec"/>), with no
/// request pipeline and no per-request policy objects (docs/benchmarks.md, "Order-row writers compared").
/// Nothing is re-sent: an answer that never came is an unknown outcome, settled by <see cref="OrderRowWriter"/>
/// reading the row. Requests are authorized by <see cref="TableAuthorization"/> (shared key, SAS or managed
/// identity). Reads and every other table stay on the Azure SDK.
/// </summary>
internal sealed class TableRowClient : IRowWriteClient, IDisposable
{
    /// <summary>The Table service version spoken (the first that accepts Microsoft Entra tokens).</summary>
    public const string ServiceVersion = "2019-02-02";

    /// <summary>Merge Entity's documented verb.</summary>
    private static readonly HttpMethod s_merge = new("MERGE");

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TableAuthorization _authorization;
    private readonly TimeProvider _clock;

    private TableRowClient(Uri endpoint, TableAuthorization authorization, TimeSpan timeout, TimeProvider clock)
    {
        _clock = clock;
        _endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/");
        _authorization = authorization;
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
    internal string Authorization => _authorization.Scheme;

    /// <summary>Builds the client for <paramref name="connection"/>: connection string (shared key or SAS) or identity.</summary>
    /// <exception cref="FormatException">The connection string has no table endpoint, account or credential this client understands.</exception>
    public static TableRowClient Create(StorageConnection connection, TimeSpan timeout, TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        var (endpoint, authorization) = TableAuthorization.For(connection, time);
        return new TableRowClient(endpoint, authorization, timeout, time);
    }

    /// <summary>A client on <paramref name="endpoint"/> authorized with Microsoft Entra tokens from <paramref name="credential"/>.</summary>
    internal static TableRowClient WithToken(Uri endpoint, TokenCredential credential, TimeSpan timeout, TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        return new TableRowClient(endpoint, new TokenAuthorization(credential, time), timeout, time);
    }

    public async Task<RowWriteResult> WriteAsync(string table, RowOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        // An insert is a POST to the table; a merge (with If-Match) and an upsert (without: Insert Or Merge Entity) go to the row.
        using var request = operation.ETag is null && !operation.Upsert
            ? new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, Uri.EscapeDataString(table)))
            : new HttpRequestMessage(s_merge, new Uri(_endpoint, TableBatchCodec.EntityPath(table, operation.Entity.PartitionKey, operation.Entity.RowKey)));
        if (operation.ETag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", operation.ETag);
        }

        var content = new ByteArrayContent(TableRowJson.Entity(operation));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content = content;
        return await ExchangeAsync(request, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RowWriteResult> SubmitAsync(string table, IReadOnlyList<RowOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var (body, contentType) = TableBatchCodec.Encode(_endpoint, table, operations, Guid.NewGuid());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, "$batch"));
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");

        return await ExchangeAsync(request, operations.Count, cancellationToken).ConfigureAwait(false);
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
                return TableBatchCodec.Parse(text, count);
            }

            // A single write's failed condition is its own (index 0); a whole transaction refused names none.
            var code = Header(response, "x-ms-error-code") ?? TableRowJson.ErrorCode(text);
            return RowWriteResult.FromStatus(status, code, operations is null ? 0 : -1, TableRowJson.ErrorMessage(text));
        }
        catch (Exception ex) when (RowWriteResult.IsNoAnswer(ex, cancellationToken))
        {
            return RowWriteResult.Unknown(ex.GetType().Name);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var date = _clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", ServiceVersion);
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
        request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
        await _authorization.AuthorizeAsync(request, date, cancellationToken).ConfigureAwait(false);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose()
    {
        _http.Dispose();
        (_authorization as IDisposable)?.Dispose();
    }
}
