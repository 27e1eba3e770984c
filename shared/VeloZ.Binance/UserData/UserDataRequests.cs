using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VeloZ.Binance.Signing;

namespace VeloZ.Binance.UserData;

/// <summary>
/// The WebSocket API requests of the user data stream (Binance Spot API docs, web-socket-api.md: "User Data Stream requests"). The subscription is signed like every
/// WebSocket API request (Binance's web-socket-api.md "SIGNED request example (HMAC)"): all params but <c>signature</c>, sorted by name, raw values, so an HMAC key subscribes
/// with <c>userDataStream.subscribe.signature</c> (W7 is exactly this payload without <c>recvWindow</c>).
/// </summary>
internal static class UserDataRequests
{
    public const string SubscribeMethod = "userDataStream.subscribe.signature";

    /// <summary>Authenticates the connection with an Ed25519 key (Binance accepts no other key type for it).</summary>
    public const string LogonMethod = "session.logon";

    /// <summary>Subscribes the logged-on key's account; no parameters, no signature.</summary>
    public const string SubscribeLoggedOnMethod = "userDataStream.subscribe";

    /// <summary>The sorted name/value pairs that are signed (and sent as <c>params</c> with the signature added).</summary>
    public static List<KeyValuePair<string, string>> SubscribeParameters(string apiKey, long timestampMs, int? recvWindowMs)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("apiKey", apiKey),
            new("timestamp", timestampMs.ToString(CultureInfo.InvariantCulture)),
        };
        if (recvWindowMs is { } window)
        {
            parameters.Add(new("recvWindow", window.ToString(CultureInfo.InvariantCulture)));
        }

        return parameters;
    }

    /// <summary><c>{"id":…,"method":"userDataStream.subscribe.signature","params":{"apiKey","timestamp","recvWindow","signature"}}</c>.</summary>
    public static string Subscribe(string id, string apiKey, long timestampMs, int? recvWindowMs, BinanceSigner signer) =>
        Signed(id, SubscribeMethod, apiKey, timestampMs, recvWindowMs, signer);

    private static string Signed(string id, string method, string apiKey, long timestampMs, int? recvWindowMs, BinanceSigner signer)
    {
        var signature = signer.SignWebSocket(SubscribeParameters(apiKey, timestampMs, recvWindowMs));
        return Write(id, method, writer =>
        {
            writer.WriteString("apiKey", apiKey);
            writer.WriteNumber("timestamp", timestampMs);
            if (recvWindowMs is { } window)
            {
                writer.WriteNumber("recvWindow", window);
            }

            writer.WriteString("signature", signature);
        });
    }

    /// <summary>
    /// <c>{"id":…,"method":"session.logon","params":{"apiKey","timestamp","recvWindow","signature"}}</c>: the same signed
    /// parameters as the signed subscription (Binance's web-socket-api.md "Log in with API key (SIGNED)").
    /// </summary>
    public static string Logon(string id, string apiKey, long timestampMs, int? recvWindowMs, BinanceSigner signer) =>
        Signed(id, LogonMethod, apiKey, timestampMs, recvWindowMs, signer);

    /// <summary><c>{"id":…,"method":"userDataStream.subscribe"}</c>, sent after a successful <c>session.logon</c>.</summary>
    public static string SubscribeLoggedOn(string id) => Write(id, SubscribeLoggedOnMethod, null);

    /// <summary>Ends one subscription; the venue answers and then sends its <c>eventStreamTerminated</c>.</summary>
    public static string Unsubscribe(string id, int subscriptionId) =>
        Write(id, "userDataStream.unsubscribe", writer => writer.WriteNumber("subscriptionId", subscriptionId));

    /// <summary>The WebSocket API <c>ping</c> (weight 1): any answer proves the connection alive.</summary>
    public static string Ping(string id) => Write(id, "ping", null);

    private static string Write(string id, string method, Action<Utf8JsonWriter>? parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("method", method);
            if (parameters is not null)
            {
                writer.WriteStartObject("params");
                parameters(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
