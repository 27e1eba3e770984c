using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// The one place where the order logic's outcomes become the contract's HTTP answers: each
/// <see cref="OrderProblem"/> has one status code and one error code, whichever endpoint meets it.
/// </summary>
internal static class OrderAnswers
{
    /// <summary>The HTTP answer to an outcome of <c>POST /api/order</c> or <c>POST /api/cancel</c>.</summary>
    public static IActionResult ToHttp(OrderOutcome outcome) => outcome switch
    {
        OrderOutcome.Placed placed => ApiResults.Ok(new OrderPlacedResponse(true, placed.ClientOrderId, placed.VenueOrderId), ApiJsonContext.Default.OrderPlacedResponse),
        OrderOutcome.Cancelled cancelled => ApiResults.Ok(new CancelResponse(true, cancelled.ClientOrderId), ApiJsonContext.Default.CancelResponse),
        OrderOutcome.Refused refused => ApiResults.Error(
            StatusOf(refused.Problem),
            new ErrorResponse(false, ErrorOf(refused.Problem), refused.Message, refused.Field, refused.VenueCode, refused.Filter, refused.Order?.ToResponse()),
            refused.RetryAfter),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.GetType().Name, "Not an order outcome."),
    };

    /// <summary>The body of <c>POST /api/admin/cancel_all</c>'s answer.</summary>
    public static CancelAllResponse ToResponse(CancelAllOutcome outcome) => new(
        outcome.Failed.Count == 0,
        outcome.Requested,
        outcome.Cancelled,
        outcome.NotOpen,
        [.. outcome.Failed.Select(f => new CancelAllFailure(f.ClientOrderId, ErrorOf(f.Problem)))]);

    /// <summary>The contract's HTTP status for a problem.</summary>
    public static int StatusOf(OrderProblem problem) => problem switch
    {
        OrderProblem.CancelOnly or OrderProblem.NotOpen or OrderProblem.Duplicate => StatusCodes.Status409Conflict,
        OrderProblem.NotFound => StatusCodes.Status404NotFound,
        OrderProblem.BadParams or OrderProblem.FilterViolation or OrderProblem.VenueRejected or OrderProblem.BinanceNotConfigured => StatusCodes.Status400BadRequest,
        OrderProblem.StatusUnknown => StatusCodes.Status504GatewayTimeout,
        OrderProblem.StatusUnknownVenueFault => StatusCodes.Status502BadGateway,
        OrderProblem.RateLimited => StatusCodes.Status429TooManyRequests,
        OrderProblem.ExecutionUnavailable => StatusCodes.Status500InternalServerError,
        OrderProblem.StorageUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "Not an order problem."),
    };

    /// <summary>The contract's error code for a problem.</summary>
    public static string ErrorOf(OrderProblem problem) => problem switch
    {
        OrderProblem.CancelOnly => ApiErrors.CancelOnly,
        OrderProblem.NotFound => ApiErrors.NotFound,
        OrderProblem.NotOpen => ApiErrors.OrderNotOpen,
        OrderProblem.Duplicate => ApiErrors.DuplicateClientOrderId,
        OrderProblem.BadParams => ApiErrors.BadParams,
        OrderProblem.FilterViolation => ApiErrors.FilterViolation,
        OrderProblem.VenueRejected => ApiErrors.VenueRejected,
        OrderProblem.StatusUnknown or OrderProblem.StatusUnknownVenueFault => ApiErrors.StatusUnknown,
        OrderProblem.RateLimited => ApiErrors.RateLimited,
        OrderProblem.ExecutionUnavailable => ApiErrors.ExecutionUnavailable,
        OrderProblem.BinanceNotConfigured => ApiErrors.BinanceNotConfigured,
        OrderProblem.StorageUnavailable => ApiErrors.StorageUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "Not an order problem."),
    };
}
