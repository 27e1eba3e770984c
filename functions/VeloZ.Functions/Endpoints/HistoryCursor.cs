using System.Buffers.Text;
using System.Globalization;
using System.Text;
using VeloZ.Domain.Orders;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// The opaque <c>cursor</c> of the history endpoints: base64url of where the previous page stopped, tagged with the
/// endpoint's kind so that a cursor of one endpoint is refused by the other. <c>/api/orders_state</c>:
/// <c>o.{created_ts_ns}.{client_order_id}</c>; <c>/api/fills</c>: <c>f.{created_ts_ns}.{client_order_id}.{fill ts_ns}.{trade_id}</c>.
/// Client order ids never contain a dot (<see cref="ClientOrderIds"/>), so the parts split unambiguously.
/// </summary>
internal static class HistoryCursor
{
    public static string Encode(OrderPosition position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"o.{position.CreatedTsNs}.{position.ClientOrderId}")));

    public static string Encode(FillPosition position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"f.{position.Order.CreatedTsNs}.{position.Order.ClientOrderId}.{position.FillTsNs}.{position.TradeId}")));

    public static bool TryDecodeOrder(string? text, out OrderPosition position)
    {
        position = default;
        if (Parts(text, "o", 3) is not { } parts || Order(parts[1], parts[2]) is not { } order)
        {
            return false;
        }

        position = order;
        return true;
    }

    public static bool TryDecodeFill(string? text, out FillPosition position)
    {
        position = default;
        if (Parts(text, "f", 5) is not { } parts || Order(parts[1], parts[2]) is not { } order
            || Number(parts[3]) is not { } fillTs || Number(parts[4]) is not { } tradeId)
        {
            return false;
        }

        position = new FillPosition(order, fillTs, tradeId);
        return true;
    }

    private static string[]? Parts(string? text, string kind, int count)
    {
        // A cursor is short; anything long is not one of ours and is not decoded at all.
        if (string.IsNullOrEmpty(text) || text.Length > 200 || !Base64Url.IsValid(text))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = decoded.Split('.');
        return parts.Length == count && parts[0] == kind ? parts : null;
    }

    private static OrderPosition? Order(string createdTsNs, string clientOrderId) =>
        Number(createdTsNs) is { } created && ClientOrderIds.IsValid(clientOrderId) ? new OrderPosition(created, clientOrderId) : null;

    private static long? Number(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
