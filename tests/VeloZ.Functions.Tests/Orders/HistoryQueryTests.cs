using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Endpoints;
using VeloZ.Storage;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>The history endpoints' parameters and cursors, without storage: what is accepted, what it means, and which field a refusal names.</summary>
public sealed class HistoryQueryTests
{
    private static QueryCollection Query(string query) =>
        new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void Without_parameters_the_defaults_hold_and_no_paging_parameter_is_given()
    {
        var (query, error) = HistoryQuery.Parse(Query(string.Empty));

        Assert.Null(error);
        Assert.Equal(HistoryQuery.DefaultLimit, query!.Limit);
        Assert.Null(query.Cursor);
        Assert.Equal(new OrderHistoryFilter().ToQueryFilter(null), query.Filter.ToQueryFilter(null));
        Assert.Null(HistoryQuery.FirstGiven(Query("client_order_id=x&other=1")));
        Assert.Equal("limit", HistoryQuery.FirstGiven(Query("limit=")));
    }

    [Fact]
    public void Every_parameter_is_read_symbol_and_statuses_in_any_case()
    {
        var (query, error) = HistoryQuery.Parse(Query("symbol=ethusdt&status=filled,%20Partially_Filled,FILLED&since=1780000000000000000&limit=1000&cursor=abc"));

        Assert.Null(error);
        Assert.Equal("ETHUSDT", query!.Filter.Symbol);
        Assert.Equal([OrderStatus.Filled, OrderStatus.PartiallyFilled], query.Filter.Statuses);
        Assert.Equal(1780000000000000000, query.Filter.SinceTsNs);
        Assert.Equal(1000, query.Limit);
        Assert.Equal("abc", query.Cursor);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=+5", "limit")]
    [InlineData("limit=%205", "limit")]
    [InlineData("since=-5", "since")]
    [InlineData("since=1.5", "since")]
    [InlineData("since=", "since")]
    [InlineData("since=9223372036854775808", "since")]
    [InlineData("status=", "status")]
    [InlineData("status=OPEN", "status")]
    [InlineData("status=FILLED;CANCELLED", "status")]
    [InlineData("symbol=", "symbol")]
    [InlineData("symbol=a&symbol=b", "symbol")]
    [InlineData("cursor=", "cursor")]
    [InlineData("cursor=a&cursor=b", "cursor")]
    public void A_bad_value_names_its_field(string text, string field)
    {
        var (query, error) = HistoryQuery.Parse(Query(text));

        Assert.Null(query);
        Assert.Equal(field, error!.Field);
    }

    [Fact]
    public void An_order_cursor_round_trips_and_is_refused_as_a_fill_cursor()
    {
        var position = new OrderPosition(1780000000000000123, "my_Order-1");

        var text = HistoryCursor.Encode(position);

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.True(HistoryCursor.TryDecodeOrder(text, out var decoded));
        Assert.Equal(position, decoded);
        Assert.False(HistoryCursor.TryDecodeFill(text, out _));
    }

    [Fact]
    public void A_fill_cursor_round_trips_and_is_refused_as_an_order_cursor()
    {
        var position = new FillPosition(new OrderPosition(0, "a"), 1780000000000000999, 9_000_000_001);

        var text = HistoryCursor.Encode(position);

        Assert.True(HistoryCursor.TryDecodeFill(text, out var decoded));
        Assert.Equal(position, decoded);
        Assert.False(HistoryCursor.TryDecodeOrder(text, out _));
    }

    [Fact]
    public void A_page_request_decodes_its_own_kind_of_cursor_and_refuses_the_other()
    {
        var orderCursor = HistoryCursor.Encode(new OrderPosition(5, "x"));

        var (query, after, error) = HistoryQuery.Parse<OrderPosition>(Query($"limit=2&cursor={orderCursor}"), HistoryCursor.TryDecodeOrder, "/api/orders_state");
        var (_, none, refused) = HistoryQuery.Parse<FillPosition>(Query($"cursor={orderCursor}"), HistoryCursor.TryDecodeFill, "/api/fills");
        var (_, noCursor, fine) = HistoryQuery.Parse<FillPosition>(Query("limit=2"), HistoryCursor.TryDecodeFill, "/api/fills");

        Assert.Null(error);
        Assert.Equal((2, new OrderPosition(5, "x")), (query!.Limit, after!.Value));
        Assert.Null(none);
        Assert.Equal("cursor", refused!.Field);
        Assert.Contains("/api/fills", refused.Message, StringComparison.Ordinal);
        Assert.Null(fine);
        Assert.Null(noCursor);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("by4xLmEuYg")] // o.1.a.b: one part too many
    [InlineData("by4tMS5h")] // o.-1.a: a negative time
    [InlineData("by4xLmEgYg")] // o.1.a b: not a client order id
    [InlineData("eC4xLmE")] // x.1.a: another kind
    public void Anything_not_made_here_is_no_order_cursor(string? text)
    {
        Assert.False(HistoryCursor.TryDecodeOrder(text, out _));
    }
}
