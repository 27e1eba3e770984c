using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Numerics;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/account</c>: balances as the worker last had them from the venue (REST snapshot and user
/// stream). Before the first snapshot, <c>ts_ns</c> is null and <c>balances</c> empty.
/// </summary>
public sealed class AccountFunction(AccountRepository account)
{
    [Function("Account")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/account")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var snapshot = await account.ReadAsync(cancellationToken);
        var body = new AccountResponse(
            snapshot.Balances.Count == 0 ? null : snapshot.TsNs,
            [.. snapshot.Balances.Select(b => new BalanceResponse(b.Asset, DecimalText.Trim(b.Free), DecimalText.Trim(b.Locked)))]);
        return ApiResults.Ok(body, ApiJsonContext.Default.AccountResponse);
    }
}
