using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Time;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>, scope <c>admin</c>. <c>GET /api/admin/keys</c> lists the stored API keys (ids, names, scopes,
/// who created or revoked them when; never a key). <c>POST /api/admin/keys</c> with <c>{"name":"...","scope":
/// "read"|"trade"|"admin"}</c> creates one; the answer is the only time the key is ever shown (it is stored as
/// a SHA-256 hash) and is sent with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class AdminKeysFunction(ApiKeyService keys, AuditLog audit)
{
    [Function("AdminKeys")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "options", Route = "api/admin/keys")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method))
        {
            var items = (await keys.ListAsync(cancellationToken)).Select(View).ToList();
            return ApiResults.Ok(new ApiKeysResponse(items), ApiJsonContext.Default.ApiKeysResponse);
        }

        return await RequestBody.HandleAsync(request, AdminRequests.ValidateNewKey, async create =>
        {
            var caller = request.HttpContext.Caller();
            var (record, key) = await keys.CreateAsync(create.Name, create.Scope, caller.KeyId, cancellationToken);
            audit.KeyCreated(caller, record.KeyId, record.Name, record.Scope);
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return ApiResults.Ok(
                new ApiKeyCreatedResponse(true, record.KeyId, record.Name, record.Scope, UnixTime.ToUnixNanos(record.CreatedAt), key),
                ApiJsonContext.Default.ApiKeyCreatedResponse);
        }, cancellationToken);
    }

    internal static ApiKeyView View(ApiKeyRecord r) => new(
        r.KeyId,
        r.Name,
        r.Scope,
        UnixTime.ToUnixNanos(r.CreatedAt),
        r.CreatedBy,
        r.RevokedAt is { } revoked ? UnixTime.ToUnixNanos(revoked) : null,
        r.RevokedBy);
}
