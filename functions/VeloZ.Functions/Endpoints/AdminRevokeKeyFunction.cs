using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Time;
using VeloZ.Functions.Http;
using VeloZ.Functions.Push;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>, scope <c>admin</c>. <c>POST /api/admin/keys/revoke</c> with <c>{"key_id":"..."}</c>: the key stops
/// working at once on this instance and within <see cref="ApiKeyService.CacheFor"/> everywhere, and so do its open
/// <c>/api/stream</c> responses (<see cref="StreamKeyWatch"/>); its row stays
/// (revoked, by whom, when). Unknown id → 404 <c>not_found</c>. Revoking twice is not an error.
/// </summary>
public sealed class AdminRevokeKeyFunction(ApiKeyService keys, OpenStreams streams, AuditLog audit)
{
    [Function("AdminRevokeKey")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/admin/keys/revoke")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RequestBody.HandleAsync(request, AdminRequests.ValidateRevoke, async revoke =>
        {
            var caller = request.HttpContext.Caller();
            if (await keys.RevokeAsync(revoke.KeyId, caller.KeyId, cancellationToken) is not { } revoked)
            {
                return ApiResults.Error(StatusCodes.Status404NotFound, ApiErrors.NotFound, "No API key with this key_id.");
            }

            audit.KeyRevoked(caller, revoked.KeyId);
            // Its open streams end now here; other instances end theirs within the key cache period (StreamKeyWatch).
            streams.End(revoked.KeyId);
            return ApiResults.Ok(new ApiKeyRevokedResponse(true, revoked.KeyId, UnixTime.ToUnixNanos(revoked.RevokedAt!.Value)), ApiJsonContext.Default.ApiKeyRevokedResponse);
        }, cancellationToken);
    }
}
