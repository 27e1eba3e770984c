using System.Text;
using Azure.Data.Tables;

namespace VeloZ.Storage.Tests;

/// <summary>The <c>$batch</c> body and answer of the REST writer, and its entity JSON.</summary>
public sealed class TableBatchCodecTests
{
    [Fact]
    public void A_transaction_body_is_one_changeset_with_a_post_per_insert_and_a_merge_with_if_match_per_change()
    {
        var id = Guid.Parse("0123456789abcdef0123456789abcdef");
        RowOperation[] operations =
        [
            new(new TableEntity("o0", "a") { ["Status"] = "PENDING" }, null, "WriteId", "w1"),
            new(new TableEntity("o0", "b") { ["Status"] = "ACCEPTED" }, "W/\"1\""),
        ];

        var (body, contentType) = TableBatchCodec.Encode(new Uri("https://veloz.table.core.windows.net/"), "orders0", operations, id);

        var text = Encoding.UTF8.GetString(body.Span);
        const string Batch = "batch_0123456789abcdef0123456789abcdef";
        const string Changeset = "changeset_0123456789abcdef0123456789abcdef";
        Assert.Equal($"multipart/mixed; boundary={Batch}", contentType);
        Assert.StartsWith($"--{Batch}\r\nContent-Type: multipart/mixed; boundary={Changeset}\r\n\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith($"--{Changeset}--\r\n--{Batch}--\r\n", text, StringComparison.Ordinal);
        var parts = text.Split($"--{Changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")[1..];
        Assert.Equal(2, parts.Length);
        Assert.StartsWith("POST https://veloz.table.core.windows.net/orders0 HTTP/1.1\r\n", parts[0], StringComparison.Ordinal);
        Assert.Contains("{\"PartitionKey\":\"o0\",\"RowKey\":\"a\",\"Status\":\"PENDING\",\"WriteId\":\"w1\"}", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("MERGE https://veloz.table.core.windows.net/orders0(PartitionKey='o0',RowKey='b') HTTP/1.1\r\nIf-Match: W/\"1\"\r\n", parts[1], StringComparison.Ordinal);
        Assert.Contains("{\"PartitionKey\":\"o0\",\"RowKey\":\"b\",\"Status\":\"ACCEPTED\"}", parts[1], StringComparison.Ordinal);
        Assert.All(parts, p => Assert.Contains("Prefer: return-no-content\r\n", p, StringComparison.Ordinal));
    }

    [Fact]
    public void An_upsert_in_a_transaction_is_a_merge_of_the_row_without_if_match()
    {
        RowOperation[] operations = [new(new TableEntity("BTCUSDT", "9") { ["ClientOrderId"] = "c-9" }, null, Upsert: true)];

        var (body, _) = TableBatchCodec.Encode(new Uri("https://veloz.table.core.windows.net/"), "vzvenueorders", operations, Guid.NewGuid());

        var text = Encoding.UTF8.GetString(body.Span);
        Assert.Contains("\r\nMERGE https://veloz.table.core.windows.net/vzvenueorders(PartitionKey='BTCUSDT',RowKey='9') HTTP/1.1\r\nAccept:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("If-Match", text, StringComparison.Ordinal);
        Assert.DoesNotContain("POST ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_answer_gives_every_operation_its_etag_in_order()
    {
        var text = "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"datetime'2026-11-27T10%3A00%3A00.1Z'\"\r\n\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"datetime'2026-11-27T10%3A00%3A00.2Z'\"\r\n\r\n\r\n" +
            "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var result = TableBatchCodec.Parse(text, 2);

        Assert.Equal(RowWriteOutcome.Written, result.Outcome);
        Assert.Equal(["W/\"datetime'2026-11-27T10%3A00%3A00.1Z'\"", "W/\"datetime'2026-11-27T10%3A00%3A00.2Z'\""], result.ETags);
    }

    [Fact]
    public void A_failed_transaction_names_the_operation_that_failed_its_condition()
    {
        var text = "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 409 Conflict\r\nContent-Type: application/json;odata=nometadata\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"7:The specified entity already exists.\\nRequestId:1\"}}}\r\n" +
            "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var result = TableBatchCodec.Parse(text, 10);

        Assert.Equal(RowWriteOutcome.ConditionFailed, result.Outcome);
        Assert.Equal(7, result.FailedIndex);
    }

    [Theory]
    [InlineData("HTTP/1.1 500 Internal Server Error", RowWriteOutcome.Unknown)]
    [InlineData("HTTP/1.1 400 Bad Request", RowWriteOutcome.Refused)]
    public void A_failed_transaction_without_an_index_is_unknown_after_a_server_error_and_refused_otherwise(string statusLine, RowWriteOutcome expected)
    {
        var text = $"--b\r\n{statusLine}\r\n\r\n{{\"odata.error\":{{\"code\":\"X\",\"message\":{{\"value\":\"no index here\"}}}}}}\r\n--b--";

        Assert.Equal(expected, TableBatchCodec.Parse(text, 3).Outcome);
    }

    [Fact]
    public void An_answer_with_fewer_parts_than_operations_is_an_unknown_outcome_not_a_success()
    {
        var text = "--b\r\nHTTP/1.1 204 No Content\r\nETag: W/\"1\"\r\n\r\n--b--";

        Assert.Equal(RowWriteOutcome.Unknown, TableBatchCodec.Parse(text, 2).Outcome);
    }

    [Theory]
    [InlineData("0:The specified entity already exists.", 0)]
    [InlineData("12:The update condition specified in the request was not satisfied.", 12)]
    [InlineData("The specified entity already exists.", -1)]
    [InlineData(null, -1)]
    public void The_failed_index_is_the_number_before_the_first_colon(string? message, int expected) =>
        Assert.Equal(expected, TableBatchCodec.FailedIndex(message));

    [Fact]
    public void An_entity_is_written_as_the_table_services_json_with_type_annotations_where_json_cannot_tell()
    {
        var entity = new TableEntity("o1", "id-1")
        {
            ["Text"] = "a \"quoted\" value",
            ["Big"] = 1_700_000_000_123_456_789L,
            ["Flag"] = true,
            ["Small"] = 42,
            ["Ratio"] = 2.0,
            ["When"] = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
            ["Nothing"] = null,
        };

        using var json = System.Text.Json.JsonDocument.Parse(TableRowJson.Entity(new RowOperation(entity, null, "WriteId", "w1")));
        var root = json.RootElement;

        Assert.Equal("o1", root.GetProperty("PartitionKey").GetString());
        Assert.Equal("id-1", root.GetProperty("RowKey").GetString());
        Assert.Equal("a \"quoted\" value", root.GetProperty("Text").GetString());
        Assert.Equal("1700000000123456789", root.GetProperty("Big").GetString());
        Assert.Equal("Edm.Int64", root.GetProperty("Big@odata.type").GetString());
        Assert.True(root.GetProperty("Flag").GetBoolean());
        Assert.Equal(42, root.GetProperty("Small").GetInt32());
        Assert.Equal("Edm.Double", root.GetProperty("Ratio@odata.type").GetString());
        Assert.Equal("2026-11-27T10:00:00.0000000Z", root.GetProperty("When").GetString());
        Assert.Equal("Edm.DateTime", root.GetProperty("When@odata.type").GetString());
        Assert.False(root.TryGetProperty("Nothing", out _));
        Assert.Equal("w1", root.GetProperty("WriteId").GetString());
    }
}
