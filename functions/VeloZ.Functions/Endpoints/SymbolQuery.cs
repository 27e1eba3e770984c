using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// The optional <c>?symbol=</c> of a read endpoint (<c>/api/market</c>, <c>/api/symbols</c>): absent, the endpoint's
/// default; once, upper-cased when it is a valid symbol; malformed or given more than once, 400 <c>bad_params</c>
/// on the field <c>symbol</c>.
/// </summary>
internal static class SymbolQuery
{
    public static (string? Symbol, IActionResult? Refusal) Read(StringValues asked, string fallback)
    {
        if (asked.Count == 0)
        {
            return (fallback, null);
        }

        if (asked.Count > 1)
        {
            return (null, ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, "symbol may be given once.", "symbol"));
        }

        return OrderValidation.ValidateSymbol(asked[0], out var symbol) is { } error
            ? (null, ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, error.Message, error.Field))
            : (symbol, null);
    }
}
