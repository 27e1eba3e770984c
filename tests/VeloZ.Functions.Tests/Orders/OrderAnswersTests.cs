using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>The order logic's outcomes become the contract's answers in one place, the same for every endpoint.</summary>
public sealed class OrderAnswersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(OrderProblem.CancelOnly, 409, "cancel_only")]
    [InlineData(OrderProblem.NotFound, 404, "not_found")]
    [InlineData(OrderProblem.NotOpen, 409, "order_not_open")]
    [InlineData(OrderProblem.Duplicate, 409, "duplicate_client_order_id")]
    [InlineData(OrderProblem.FilterViolation, 400, "filter_violation")]
    [InlineData(OrderProblem.VenueRejected, 400, "venue_rejected")]
    [InlineData(OrderProblem.StatusUnknown, 504, "status_unknown")]
    [InlineData(OrderProblem.StatusUnknownVenueFault, 502, "status_unknown")]
    [InlineData(OrderProblem.RateLimited, 429, "rate_limited")]
    [InlineData(OrderProblem.ExecutionUnavailable, 500, "execution_unavailable")]
    [InlineData(OrderProblem.BinanceNotConfigured, 400, "binance_not_configured")]
    [InlineData(OrderProblem.StorageUnavailable, 503, "storage_unavailable")]
    public async Task Each_problem_has_the_contracts_status_and_error_code(OrderProblem problem, int status, string error)
    {
        var (actualStatus, body, _) = await ExecuteAsync(new OrderOutcome.Refused(problem, "why"));

        Assert.Equal(status, actualStatus);
        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal("why", body.GetProperty("message").GetString());
    }

    [Fact]
    public void Every_problem_is_answered()
    {
        foreach (var problem in Enum.GetValues<OrderProblem>())
        {
            Assert.InRange(OrderAnswers.StatusOf(problem), 400, 599);
            Assert.False(string.IsNullOrEmpty(OrderAnswers.ErrorOf(problem)));
        }
    }

    [Fact]
    public async Task A_placed_order_answers_200_with_both_ids()
    {
        var (status, body, _) = await ExecuteAsync(new OrderOutcome.Placed("c-1", "77"));

        Assert.Equal(200, status);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("c-1", body.GetProperty("client_order_id").GetString());
        Assert.Equal("77", body.GetProperty("venue_order_id").GetString());
    }

    [Fact]
    public async Task A_cancel_answers_200_with_the_client_order_id()
    {
        var (status, body, _) = await ExecuteAsync(new OrderOutcome.Cancelled("c-2"));

        Assert.Equal(200, status);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("c-2", body.GetProperty("client_order_id").GetString());
    }

    [Fact]
    public async Task A_refusal_carries_the_field_venue_code_filter_order_and_retry_after_it_names()
    {
        var order = OrderStateMachine.New("c-3", "BTCUSDT", OrderSide.Buy, 0.5m, 100m, 1);
        var refused = new OrderOutcome.Refused(OrderProblem.RateLimited, "slow down", Field: "price", VenueCode: -1015, Filter: "PRICE_FILTER", Order: order, RetryAfter: TimeSpan.FromMilliseconds(2100));

        var (status, body, headers) = await ExecuteAsync(refused);

        Assert.Equal(429, status);
        Assert.Equal("3", headers.RetryAfter.ToString());
        Assert.Equal("price", body.GetProperty("field").GetString());
        Assert.Equal(-1015, body.GetProperty("code").GetInt32());
        Assert.Equal("PRICE_FILTER", body.GetProperty("filter").GetString());
        Assert.Equal("c-3", body.GetProperty("order").GetProperty("client_order_id").GetString());
        Assert.Equal("PENDING", body.GetProperty("order").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_refusal_without_details_leaves_them_out_of_the_body()
    {
        var (_, body, headers) = await ExecuteAsync(new OrderOutcome.Refused(OrderProblem.NotFound, "No order."));

        Assert.False(body.TryGetProperty("field", out _));
        Assert.False(body.TryGetProperty("code", out _));
        Assert.False(body.TryGetProperty("order", out _));
        Assert.Equal(0, headers.RetryAfter.Count);
    }

    [Fact]
    public void Cancel_all_is_ok_only_without_failures_and_names_each_failure_by_its_error_code()
    {
        var clean = OrderAnswers.ToResponse(new CancelAllOutcome(2, ["a"], ["b"], []));
        var failing = OrderAnswers.ToResponse(new CancelAllOutcome(3, ["a"], [], [("b", OrderProblem.StorageUnavailable), ("c", OrderProblem.RateLimited)]));

        Assert.True(clean.Ok);
        Assert.Equal(2, clean.Requested);
        Assert.False(failing.Ok);
        Assert.Equal(["storage_unavailable", "rate_limited"], failing.Failed.Select(f => f.Error));
        Assert.Equal(["b", "c"], failing.Failed.Select(f => f.ClientOrderId));
    }

    private static async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> ExecuteAsync(OrderOutcome outcome)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await OrderAnswers.ToHttp(outcome).ExecuteResultAsync(new ActionContext { HttpContext = context });
        Ct.ThrowIfCancellationRequested();
        using var document = JsonDocument.Parse(body.ToArray());
        return (context.Response.StatusCode, document.RootElement.Clone(), context.Response.Headers);
    }
}
