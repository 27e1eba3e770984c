using System.Text.Json;
using VeloZ.Domain.Numerics;

namespace VeloZ.Binance.UserData;

/// <summary>
/// Turns the <c>event</c> object of a WebSocket API user data message (Binance Spot API docs, user-data-stream.md) into a typed event.
/// Decimals are Binance's strings, parsed invariant; times are epoch milliseconds. Unknown event types
/// (listStatus, externalLockUpdate, ...) give null. A malformed event throws <see cref="FormatException"/>.
/// </summary>
internal static class UserDataEventParser
{
    public static UserDataVenueEvent? Parse(JsonElement payload, DateTimeOffset receivedAt)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A user data event is not a JSON object.");
        }

        var type = String(payload, "e");
        var eventTime = Time(payload, "E");
        return type switch
        {
            "executionReport" => new ExecutionReport(eventTime, receivedAt)
            {
                Symbol = String(payload, "s"),
                ClientOrderId = String(payload, "c"),
                OrigClientOrderId = OptionalString(payload, "C") ?? string.Empty,
                Side = String(payload, "S"),
                OrderType = String(payload, "o"),
                TimeInForce = String(payload, "f"),
                Quantity = Decimal(payload, "q"),
                Price = Decimal(payload, "p"),
                ExecutionType = String(payload, "x"),
                Status = String(payload, "X"),
                RejectReason = OptionalString(payload, "r") ?? "NONE",
                OrderId = Long(payload, "i"),
                LastQuantity = Decimal(payload, "l"),
                CumulativeQuantity = Decimal(payload, "z"),
                LastPrice = Decimal(payload, "L"),
                Commission = Decimal(payload, "n"),
                CommissionAsset = OptionalString(payload, "N"),
                TransactTime = Time(payload, "T"),
                TradeId = Long(payload, "t"),
                CumulativeQuoteQuantity = Decimal(payload, "Z"),
                ExpiryReason = OptionalString(payload, "eR"),
            },
            "outboundAccountPosition" => new AccountPositionUpdate(eventTime, receivedAt)
            {
                LastUpdateTime = Time(payload, "u"),
                Balances = Balances(payload),
            },
            "balanceUpdate" => new BalanceUpdate(eventTime, receivedAt)
            {
                Asset = String(payload, "a"),
                Delta = Decimal(payload, "d"),
                ClearTime = Time(payload, "T"),
            },
            "eventStreamTerminated" => new UserStreamTerminated(eventTime, receivedAt),
            _ => null,
        };
    }

    private static List<AccountBalance> Balances(JsonElement payload)
    {
        if (!payload.TryGetProperty("B", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Field 'B' is missing or not an array.");
        }

        var balances = new List<AccountBalance>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            balances.Add(new AccountBalance(String(item, "a"), Decimal(item, "f"), Decimal(item, "l")));
        }

        return balances;
    }

    private static string String(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new FormatException($"Field '{name}' is missing.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static decimal Decimal(JsonElement element, string name) =>
        DecimalText.TryParse(String(element, name), out var value) ? value : throw new FormatException($"Field '{name}' is not a decimal.");

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new FormatException($"Field '{name}' is missing or not an integer.");

    private static DateTimeOffset Time(JsonElement element, string name) => DateTimeOffset.FromUnixTimeMilliseconds(Long(element, name));
}
