using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VeloZ.SimVenue.Api;
using VeloZ.SimVenue.Engine;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Streams;

/// <summary>
/// A WebSocket API connection (<c>/ws-api/v3</c>, Binance's web-socket-api.md): request <c>{"id","method","params"}</c> →
/// response <c>{"id","status","result"|"error","rateLimits"}</c>; signed params are checked over the sorted
/// raw <c>name=value</c> pairs. User data arrives by <c>userDataStream.subscribe.signature</c> (any key), or by
/// <c>session.logon</c> (Ed25519 keys only) and then <c>userDataStream.subscribe</c>, as
/// <c>{"subscriptionId":N,"event":{…}}</c>; unsubscribe or the end of the connection's lifetime sends
/// <c>eventStreamTerminated</c>. The order endpoints are the REST ones (order.place, order.cancel, …).
/// </summary>
internal sealed class WsApiSession : WsSession
{
    private const int MaxActiveSubscriptions = 1000;
    private const int MaxSubscriptionIds = 65_535;

    private readonly Lock _subscriptionGate = new();
    private readonly SortedDictionary<int, SimAccount> _subscriptions = [];
    private readonly Dictionary<string, VenueOperation> _operations;
    private readonly string _clientIp;
    private readonly bool _returnRateLimits;
    private readonly long _connectedSince;
    private int _nextSubscriptionId;
    private (SimAccount Account, string ApiKey, long Since)? _logon;
    private int? _logonSubscriptionId;

    private WsApiSession(VenueRuntime runtime, WsConnection connection, string clientIp, bool returnRateLimits)
        : base(runtime, connection)
    {
        _connectedSince = runtime.Clock.NowMs;
        _clientIp = clientIp;
        _returnRateLimits = returnRateLimits;
        _operations = runtime.Api.Operations.ToDictionary(o => o.WsMethod, StringComparer.Ordinal);
    }

    protected override string Kind => "WebSocket API";

    public static async Task AcceptAsync(VenueRuntime runtime, HttpContext context, CancellationToken stopping)
    {
        if (!WsConnection.IsWebSocketRequest(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var clientIp = RestEndpoint.ClientIp(context);

        // Each connection costs 2 weight (Binance's web-socket-api.md and web-socket-streams.md "General API Information").
        runtime.Limiter.AddWeight(clientIp, 2);
        var returnRateLimits = context.Request.Query["returnRateLimits"].ToString() != "false";
        var connection = await WsConnection.AcceptAsync(context);
        await new WsApiSession(runtime, connection, clientIp, returnRateLimits).RunAsync(stopping);
    }

    /// <summary>Called by the user stream hub (inside the engine lock) for each event of a subscribed account.</summary>
    public void DeliverEvent(int subscriptionId, string eventJson)
    {
        lock (_subscriptionGate)
        {
            if (_subscriptions.ContainsKey(subscriptionId))
            {
                Enqueue($"{{\"subscriptionId\":{subscriptionId.ToString(CultureInfo.InvariantCulture)},\"event\":{eventJson}}}");
            }
        }
    }

    public override void Expire()
    {
        lock (_subscriptionGate)
        {
            foreach (var id in _subscriptions.Keys.ToList())
            {
                EndSubscription(id);
            }
        }

        base.Expire();
    }

    public override void AnnounceShutdown() =>
        Enqueue(Wire.Json(new JsonObject { ["event"] = new JsonObject { ["e"] = "serverShutdown", ["E"] = Runtime.Clock.NowMs } }));

    protected override void OnClosed()
    {
        lock (_subscriptionGate)
        {
            foreach (var (id, account) in _subscriptions)
            {
                Runtime.UserHub.Remove(account, this, id);
            }

            _subscriptions.Clear();
        }
    }

    protected override void OnText(string text)
    {
        JsonNode? id = null;
        Dictionary<string, string> parameters;
        string method;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Respond(null, null, VenueErrors.Malformed(), null);
                return;
            }

            if (root.TryGetProperty("id", out var idElement))
            {
                id = JsonNode.Parse(idElement.GetRawText());
            }

            if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
            {
                Respond(id, null, VenueErrors.Mandatory("method"), null);
                return;
            }

            method = methodElement.GetString()!;
            if (method.StartsWith("v3/", StringComparison.Ordinal))
            {
                method = method[3..];
            }

            parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("params", out var paramsElement))
            {
                if (paramsElement.ValueKind != JsonValueKind.Object)
                {
                    Respond(id, null, VenueErrors.Mandatory("params"), null);
                    return;
                }

                foreach (var property in paramsElement.EnumerateObject())
                {
                    var value = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null or JsonValueKind.Undefined => null,
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => property.Value.GetRawText(),
                    };
                    if (value is not null)
                    {
                        parameters[property.Name] = value;
                    }
                }
            }
        }
        catch (JsonException)
        {
            Respond(null, null, VenueErrors.Malformed(), null);
            return;
        }

        var request = ToRequest(parameters);
        var showRateLimits = _returnRateLimits && request.Get("returnRateLimits") != "false";
        if (VenueErrors.Banned(Runtime.Faults, Runtime.Clock) is { } banned)
        {
            Respond(id, null, banned, null);
            return;
        }

        switch (method)
        {
            case "userDataStream.subscribe.signature":
                Subscribe(id, request, showRateLimits, loggedOn: false);
                return;
            case "userDataStream.subscribe":
                Subscribe(id, request, showRateLimits, loggedOn: true);
                return;
            case "session.logon":
                Logon(id, request, showRateLimits);
                return;
            case "session.status":
                SessionStatus(id, request, showRateLimits, logout: false);
                return;
            case "session.logout":
                SessionStatus(id, request, showRateLimits, logout: true);
                return;
            case "userDataStream.unsubscribe":
                Unsubscribe(id, request, showRateLimits);
                return;
            case "session.subscriptions":
                ListSubscriptions(id, request, showRateLimits);
                return;
            default:
                break;
        }

        if (!_operations.TryGetValue(method, out var operation))
        {
            Respond(id, null, new VenueRejection(400, -1102, $"Unknown method '{method}'."), showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null);
            return;
        }

        var result = Runtime.Dispatcher.Execute(operation, request);
        var rateLimits = showRateLimits ? Runtime.Dispatcher.RateLimits(request, operation.Kind == OperationKind.PlaceOrder) : null;
        switch (result.Fault)
        {
            case OrderFaultKind.ServerError:
                Log.FaultInjected(Runtime.Logger, OrderFaultKind.ServerError);
                Respond(id, null, VenueErrors.UnexpectedResponse(), rateLimits);
                return;
            case OrderFaultKind.BackendTimeout:
                Log.FaultInjected(Runtime.Logger, OrderFaultKind.BackendTimeout);
                Respond(id, null, VenueErrors.BackendTimeout(), rateLimits);
                return;
            case OrderFaultKind.NoResponse:
                Log.FaultInjected(Runtime.Logger, OrderFaultKind.NoResponse);
                return;
            case null:
            default:
                Respond(id, result.Body, result.Error, rateLimits);
                return;
        }
    }

    private VenueRequest ToRequest(Dictionary<string, string> parameters)
    {
        // Signed WebSocket API payload: every param but the signature, sorted by name, raw values (Binance's web-socket-api.md "SIGNED request example (HMAC)").
        var payload = string.Join('&', parameters
            .Where(p => p.Key != "signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        return new VenueRequest
        {
            Transport = Transport.WebSocketApi,
            Params = parameters,
            ClientIp = _clientIp,
            ApiKey = parameters.GetValueOrDefault("apiKey"),
            Signature = parameters.GetValueOrDefault("signature"),
            SignaturePayload = payload,
        };
    }

    /// <summary>
    /// <c>userDataStream.subscribe.signature</c> (signed, any key type) or, with <paramref name="loggedOn"/>,
    /// <c>userDataStream.subscribe</c> for the account of the connection's <c>session.logon</c>.
    /// </summary>
    private void Subscribe(JsonNode? id, VenueRequest request, bool showRateLimits, bool loggedOn)
    {
        if (Runtime.Dispatcher.Charge(_clientIp, 2) is { } limited)
        {
            Respond(id, null, limited, showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null);
            return;
        }

        SimAccount account;
        if (loggedOn)
        {
            if (_logon is not { } logon)
            {
                Respond(id, null, VenueErrors.NotLoggedOn(), showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null);
                return;
            }

            account = logon.Account;
        }
        else
        {
            try
            {
                account = Runtime.Authenticator.Authenticate(request);
            }
            catch (VenueRejection rejection)
            {
                Respond(id, null, rejection, showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null);
                return;
            }
        }

        // Registering and answering under one lock: no event can overtake the subscription's response.
        lock (_subscriptionGate)
        {
            var rateLimits = showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null;
            if (_subscriptions.ContainsValue(account))
            {
                Respond(id, null, VenueErrors.SubscriptionActive(), rateLimits);
                return;
            }

            if (_nextSubscriptionId >= MaxSubscriptionIds || _subscriptions.Count >= MaxActiveSubscriptions)
            {
                Respond(id, null, VenueErrors.MaximumSubscriptionIds(), rateLimits);
                return;
            }

            var subscriptionId = _nextSubscriptionId++;
            _subscriptions[subscriptionId] = account;
            if (loggedOn)
            {
                _logonSubscriptionId = subscriptionId;
            }

            Runtime.UserHub.Add(account, this, subscriptionId);
            Respond(id, new JsonObject { ["subscriptionId"] = subscriptionId }, null, rateLimits);
        }
    }

    private void Unsubscribe(JsonNode? id, VenueRequest request, bool showRateLimits)
    {
        if (Runtime.Dispatcher.Charge(_clientIp, 2) is { } limited)
        {
            Respond(id, null, limited, showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null);
            return;
        }

        lock (_subscriptionGate)
        {
            var rateLimits = showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null;
            List<int> ids;
            if (request.Get("subscriptionId") is { } text)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var one) || !_subscriptions.ContainsKey(one))
                {
                    Respond(id, null, VenueErrors.SubscriptionInactive(), rateLimits);
                    return;
                }

                ids = [one];
            }
            else
            {
                ids = [.. _subscriptions.Keys];
            }

            Respond(id, new JsonObject(), null, rateLimits);
            foreach (var subscriptionId in ids)
            {
                EndSubscription(subscriptionId);
            }
        }
    }

    /// <summary>
    /// <c>session.logon</c> (Binance's web-socket-api.md "Log in with API key"): a signed request whose key must be
    /// Ed25519; later requests of the connection may then omit <c>apiKey</c> and <c>signature</c> (here:
    /// <c>userDataStream.subscribe</c>).
    /// </summary>
    private void Logon(JsonNode? id, VenueRequest request, bool showRateLimits)
    {
        if (!TryCharge(id, request, showRateLimits, out var rateLimits))
        {
            return;
        }

        SimAccount account;
        try
        {
            account = Runtime.Authenticator.Authenticate(request);
        }
        catch (VenueRejection rejection)
        {
            Respond(id, null, rejection, rateLimits);
            return;
        }

        if (account.Key.Ed25519PublicKey is null || Runtime.Faults.RefuseSessionLogon)
        {
            Respond(id, null, VenueErrors.LogonKeyType(), rateLimits);
            return;
        }

        lock (_subscriptionGate)
        {
            _logon = (account, account.Key.ApiKey, Runtime.Clock.NowMs);
            Respond(id, StatusView(), null, rateLimits);
        }
    }

    /// <summary><c>session.status</c>, or <c>session.logout</c>, which also ends the logged-on subscription and keeps the socket.</summary>
    private void SessionStatus(JsonNode? id, VenueRequest request, bool showRateLimits, bool logout)
    {
        if (!TryCharge(id, request, showRateLimits, out var rateLimits))
        {
            return;
        }

        lock (_subscriptionGate)
        {
            if (logout)
            {
                _logon = null;
                if (_logonSubscriptionId is { } subscriptionId)
                {
                    _logonSubscriptionId = null;
                    Respond(id, StatusView(), null, rateLimits);
                    EndSubscription(subscriptionId);
                    return;
                }
            }

            Respond(id, StatusView(), null, rateLimits);
        }
    }

    /// <summary>The session shape of <c>session.logon</c>, <c>session.status</c> and <c>session.logout</c>. Caller holds the subscription lock.</summary>
    private JsonObject StatusView() => new()
    {
        ["apiKey"] = _logon?.ApiKey,
        ["authorizedSince"] = _logon?.Since,
        ["connectedSince"] = _connectedSince,
        ["returnRateLimits"] = _returnRateLimits,
        ["serverTime"] = Runtime.Clock.NowMs,
        ["userDataStream"] = _subscriptions.Count > 0,
    };

    private void ListSubscriptions(JsonNode? id, VenueRequest request, bool showRateLimits)
    {
        if (!TryCharge(id, request, showRateLimits, out var rateLimits))
        {
            return;
        }

        lock (_subscriptionGate)
        {
            var list = new JsonArray();
            foreach (var subscriptionId in _subscriptions.Keys)
            {
                list.Add(new JsonObject { ["subscriptionId"] = subscriptionId });
            }

            Respond(id, list, null, rateLimits);
        }
    }

    /// <summary>Charges a session request's weight (2); over the limit, answers the refusal and returns false.</summary>
    private bool TryCharge(JsonNode? id, VenueRequest request, bool showRateLimits, out JsonArray? rateLimits)
    {
        var limited = Runtime.Dispatcher.Charge(_clientIp, 2);
        rateLimits = showRateLimits ? Runtime.Dispatcher.RateLimits(request, false) : null;
        if (limited is null)
        {
            return true;
        }

        Respond(id, null, limited, rateLimits);
        return false;
    }

    /// <summary>Sends <c>eventStreamTerminated</c> for the subscription and forgets it. Caller holds the subscription lock.</summary>
    private void EndSubscription(int subscriptionId)
    {
        if (!_subscriptions.Remove(subscriptionId, out var account))
        {
            return;
        }

        if (_logonSubscriptionId == subscriptionId)
        {
            _logonSubscriptionId = null;
        }

        Runtime.UserHub.Remove(account, this, subscriptionId);
        var terminated = new JsonObject { ["e"] = "eventStreamTerminated", ["E"] = Runtime.Clock.NowMs };
        Enqueue($"{{\"subscriptionId\":{subscriptionId.ToString(CultureInfo.InvariantCulture)},\"event\":{Wire.Json(terminated)}}}");
    }

    private void Respond(JsonNode? id, JsonNode? result, VenueRejection? error, JsonArray? rateLimits)
    {
        var response = new JsonObject { ["id"] = id?.DeepClone() };
        if (error is null)
        {
            response["status"] = 200;
            response["result"] = result;
        }
        else
        {
            response["status"] = error.HttpStatus;
            var errorNode = new JsonObject { ["code"] = error.Code, ["msg"] = error.Message };
            if (error.RetryAfterSeconds is { } seconds)
            {
                var now = Runtime.Clock.NowMs;
                errorNode["data"] = new JsonObject { ["serverTime"] = now, ["retryAfter"] = error.RetryAtMs ?? now + (seconds * 1000L) };
            }

            response["error"] = errorNode;
        }

        if (rateLimits is not null)
        {
            response["rateLimits"] = rateLimits;
        }

        Enqueue(Wire.Json(response));
    }
}
