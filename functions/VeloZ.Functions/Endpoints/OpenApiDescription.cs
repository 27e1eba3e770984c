using System.Text.Json.Nodes;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// The OpenAPI 3.1 document of the whole HTTP API, served at <c>GET /openapi.json</c> by both hosts. Built in code
/// once per process: the operations (path, verb, parameters, bodies, the error answers each can give) are listed
/// here; the response schemas are exported from the records the API answers with (<see cref="OpenApiSchemas"/>);
/// each operation's security comes from <see cref="RoutePolicy"/>, the same rule the pipeline enforces. A test
/// compares the operations with the function route table, so a function added without its description fails CI.
/// </summary>
internal static class OpenApiDescription
{
    public const string Version = "3.1.1";

    private static readonly Lazy<byte[]> s_utf8 = new(() => System.Text.Encoding.UTF8.GetBytes(Build().ToJsonString()));

    /// <summary>The document as UTF-8 JSON, the same bytes for every request.</summary>
    public static byte[] Utf8 => s_utf8.Value;

    /// <summary>One operation: route as the <c>[HttpTrigger]</c> has it, verb in lower case.</summary>
    private sealed record Operation(string Verb, string Route, string Id, string Tag, string Summary, string Description)
    {
        public JsonObject[] Parameters { get; init; } = [];

        /// <summary>The request body's schema name; null = no body.</summary>
        public string? Body { get; init; }

        public bool BodyOptional { get; init; }

        /// <summary>The 200 answer's schema.</summary>
        public JsonObject? Ok { get; init; }

        /// <summary>Statuses of the shared error answers (besides those every operation can give).</summary>
        public int[] Errors { get; init; } = [];

        /// <summary>Whether the operation reads Table storage (503 <c>storage_unavailable</c> when it cannot).</summary>
        public bool Storage { get; init; } = true;

        /// <summary>The 200 answer is a file of the dashboard (HTML, script, style sheet or icon), not JSON.</summary>
        public bool Files { get; init; }
    }

    /// <summary>The content types of the dashboard's files.</summary>
    private static readonly string[] s_fileTypes = ["text/html", "text/javascript", "text/css", "image/svg+xml"];

    private static readonly string[] s_tags = ["Health", "Market", "Orders", "Account", "Push", "Admin", "Dashboard"];

    private static readonly (int Status, string Name, string Description)[] s_errors =
    [
        (400, "BadRequest", "The request is invalid: `bad_json` (the body is not JSON), `bad_params` (`field` names the parameter or field, also one given twice); for orders also `filter_violation` (`filter` names the exchange filter), `venue_rejected` (Binance's `code` and `message`), `binance_not_configured`."),
        (401, "Unauthorized", "Authentication is on and the request carries no key, or an invalid or revoked one (`unauthorized`)."),
        (403, "Forbidden", "`forbidden`: the key's scope does not allow the endpoint, or a key other than a `read` key sent as `?access_token=`. With authentication off: a request not addressed to a loopback name, or from a web page whose `Origin` is neither the API's own nor listed in `VELOZ_CORS_ORIGINS`."),
        (404, "NotFound", "`not_found`: the order, key or symbol named does not exist."),
        (409, "Conflict", "`duplicate_client_order_id` (the id is taken by a different order; `order` shows it), `order_not_open` (the order is already final; `order` shows it), `cancel_only` (trading mode `cancel_only`; nothing was stored or sent)."),
        (413, "BodyTooLarge", "`body_too_large`: the body is over 16 KiB; refused before it is read."),
        (415, "UnsupportedMediaType", "`unsupported_media_type`: a body that is not JSON, form-encoded or plain text, or not UTF-8."),
        (429, "RateLimited", "`rate_limited`: VeloZ's own per-key / per-address limit, too many failed authentications from this address, the venue's limit or ban, or (`/api/stream`) too many open streams for the key. Nothing was sent; retry after `Retry-After`."),
        (500, "ServerError", "`internal_error` (unexpected; logged, never a stack trace) or, for venue calls, `execution_unavailable` (no venue to trade on, or the order could not be sent in time: it was not sent)."),
        (502, "StatusUnknown", "`status_unknown`: the venue's answer was lost (5xx); the order stays `PENDING` and is reconciled. Do not resend; query `/api/order_state`."),
        (503, "Unavailable", "`storage_unavailable` (the state store is unreachable; an order was neither stored nor sent) or, for `/api/negotiate`, `push_unavailable` (the hub's address is not known yet)."),
        (504, "StatusUnknownTimeout", "`status_unknown`: the venue did not answer in time; as 502."),
    ];

    private static readonly Operation[] s_operations =
    [
        new("get", "health", "getHealth", "Health", "Liveness and what the API sees",
            "`ok` is true whenever the API answers; `components` describe storage, the worker, market data and the trading mode. Answered from readings at most 1 s old.")
        { Ok = OpenApiSchemas.Ref(typeof(HealthResponse)), Storage = false },
        new("get", "health/live", "getHealthLive", "Health", "Liveness probe", "200 whenever the process answers; restart it only when this fails.")
        { Ok = OpenApiSchemas.Ref(typeof(ProbeResponse)), Storage = false },
        new("get", "health/ready", "getHealthReady", "Health", "Readiness probe",
            "200 when the gateway can trade; otherwise 503 with `ok` false and `reasons`: `storage_unavailable`, `no_worker`, `venue_banned`.")
        { Ok = OpenApiSchemas.Ref(typeof(ProbeResponse)), Storage = false },
        new("get", "openapi.json", "getOpenApiDocument", "Health", "This OpenAPI document", "The HTTP API described in OpenAPI 3.1; open like `/health`.")
        { Ok = new JsonObject { ["type"] = "object" }, Storage = false },
        new("get", "api/config", "getConfig", "Market", "Effective configuration", "Never a key, a secret or a connection string. `market_symbols` appears only when more than one symbol is followed.")
        { Ok = OpenApiSchemas.Ref(typeof(ConfigResponse)) },
        new("get", "api/market", "getMarket", "Market", "Latest price of a followed symbol", "Before the first tick `price` and `ts_ns` are null.")
        { Parameters = [Query("symbol", "A followed symbol, any case; default the first followed (`market_symbol`).")], Ok = OpenApiSchemas.Ref(typeof(MarketResponse)), Errors = [400, 404] },
        new("get", "api/symbols", "getSymbols", "Market", "Exchange rules an order is checked against",
            "Of the configured market symbol or of `symbol` (any symbol the venue lists). A symbol the venue does not list is 400 `venue_rejected` (`-1121`).")
        { Parameters = [Query("symbol", "Any symbol the venue lists, any case.")], Ok = OpenApiSchemas.Ref(typeof(SymbolsResponse)), Errors = [400, 429] },
        new("post", "api/order", "placeOrder", "Orders", "Place an order",
            "Validated, checked against the symbol's exchange filters, stored as `PENDING`, then sent to the venue. The same `client_order_id` never makes two venue orders: the same order again answers the existing one, a different one is 409. A form-encoded body with the same fields is accepted too.")
        { Body = "OrderRequest", Ok = OpenApiSchemas.Ref(typeof(OrderPlacedResponse)), Errors = [400, 409, 413, 415, 502, 504] },
        new("post", "api/cancel", "cancelOrder", "Orders", "Cancel an order", "Works in `cancel_only` mode. Unknown order 404, already final 409 `order_not_open`.")
        { Body = "CancelRequest", Ok = OpenApiSchemas.Ref(typeof(CancelResponse)), Errors = [400, 404, 409, 413, 415, 502, 504] },
        new("get", "api/order_state", "getOrderState", "Orders", "One order's state", "`order_type`, `time_in_force`, `quote_order_qty` and `self_trade_prevention` appear for any order other than a LIMIT GTC without self-trade prevention.")
        { Parameters = [Query("client_order_id", "The order's client order id.", required: true)], Ok = OpenApiSchemas.Ref(typeof(OrderStateResponse)), Errors = [400, 404] },
        new("get", "api/orders_state", "getOrdersState", "Orders", "Every order, or one page of them",
            "Without parameters: `{\"items\":[...]}` with every order, oldest change first. With any of `symbol`, `status`, `since`, `limit`, `cursor` (even empty): one page, newest first by creation, with `next_cursor` (null on the last page).")
        {
            Parameters = HistoryParameters(),
            Ok = new JsonObject { ["oneOf"] = new JsonArray(OpenApiSchemas.Ref(typeof(OrdersStateResponse)), OpenApiSchemas.Ref(typeof(OrdersPageResponse))) },
            Errors = [400],
        },
        new("get", "api/orders", "getOrderEvents", "Orders", "Recent order events", "`order_update`, `fill` and `error` events as the stream sends them, plus their `id`; newest last, at most 200.")
        { Ok = OpenApiSchemas.Ref("OrderEventsResponse") },
        new("get", "api/fills", "getFills", "Orders", "Fills with the venue's commission",
            "With `client_order_id`: every fill of that order (no other parameter allowed). Otherwise one page with the parameters of `orders_state`'s pages; `since` and `status` select the orders.")
        { Parameters = [Query("client_order_id", "Every fill of this order, newest first."), .. HistoryParameters()], Ok = OpenApiSchemas.Ref(typeof(FillsResponse)), Errors = [400, 404] },
        new("get", "api/account", "getAccount", "Account", "Balances", "The worker's snapshot from the venue; before the first, `ts_ns` is null and `balances` empty.")
        { Ok = OpenApiSchemas.Ref(typeof(AccountResponse)) },
        new("get", "api/execution/ping", "pingExecution", "Account", "Venue connectivity",
            "`{\"ok\":true,\"result\":{}}` when the venue answers; `ok` false with `binance_not_configured` or `execution_unavailable` otherwise (still 200).")
        { Ok = OpenApiSchemas.Ref(typeof(PingResponse)), Storage = false },
        new("get", "api/stream", "streamEvents", "Push", "Server-Sent Events",
            """
            Every market tick, order change, fill, account change and error as an event with a gateway-wide integer `id`:

            ```
            id: 42
            event: market
            data: {"type":"market","symbol":"BTCUSDT","price":42000.5,"ts_ns":1704067200000000000}

            ```

            `event` is one of `market`, `order_update`, `fill`, `order_state`, `account`, `error`; `data` is one line of JSON, a `StreamEvent` whose `type` repeats the event name.
            Resume with `?last_id=N` or the `Last-Event-ID` header: every retained event after N, then live, with no gap and no duplicate.
            A `: keep-alive` comment after 10 s without events. One response replays at most `VELOZ_STREAM_REPLAY_MAX` events and then ends; reconnect with the last id.
            The key may also come as `?access_token=` (a `read` key only), because `EventSource` cannot set headers.
            """)
        {
            Parameters =
            [
                Query("last_id", "Resume after this event id (a whole number).", schema: new JsonObject { ["type"] = "integer", ["minimum"] = 0 }),
                new JsonObject { ["name"] = "Last-Event-ID", ["in"] = "header", ["description"] = "As `last_id`; browsers send it when they reconnect.", ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 } },
            ],
            Errors = [400],
        },
        new("post", "api/negotiate", "negotiatePush", "Push", "SignalR connection info",
            "`{url, accessToken}` in the redirect form the SignalR clients follow; hub `veloz`, one hub message per event whose target is the event name.")
        { Ok = OpenApiSchemas.Ref(typeof(NegotiateResponse)), Errors = [503], Storage = false },
        new("get", "api/admin/keys", "listKeys", "Admin", "List API keys", "Every stored key, oldest first, never a key. The bootstrap key (`VELOZ_ADMIN_API_KEY`) is not listed.")
        { Ok = OpenApiSchemas.Ref(typeof(ApiKeysResponse)) },
        new("post", "api/admin/keys", "createKey", "Admin", "Create an API key", "The answer is the only place the key ever appears (`Cache-Control: no-store`); it is stored as a SHA-256 hash.")
        { Body = "CreateKeyRequest", Ok = OpenApiSchemas.Ref(typeof(ApiKeyCreatedResponse)), Errors = [400, 413, 415] },
        new("post", "api/admin/keys/revoke", "revokeKey", "Admin", "Revoke an API key", "Effective at once on this instance, within 5 s on every other. Revoking twice is not an error.")
        { Body = "RevokeKeyRequest", Ok = OpenApiSchemas.Ref(typeof(ApiKeyRevokedResponse)), Errors = [400, 404, 413, 415] },
        new("get", "api/admin/trading_mode", "getTradingMode", "Admin", "The trading brake", "`normal` or `cancel_only`; `changed_*` null when never set.")
        { Ok = OpenApiSchemas.Ref(typeof(TradingModeResponse)) },
        new("post", "api/admin/trading_mode", "setTradingMode", "Admin", "Switch the trading brake", "In `cancel_only`, new orders answer 409 `cancel_only`; cancels still work. Holds for every instance and survives restarts.")
        { Body = "TradingModeRequest", Ok = OpenApiSchemas.Ref(typeof(TradingModeResponse)), Errors = [400, 413, 415] },
        new("get", DashboardFunction.Route, "getDashboardFile", "Dashboard", "The web dashboard",
            "`/dashboard/` is the page, `/dashboard/<file>` its script, style sheet and icon, served with a self-only Content-Security-Policy; open (the files hold no data: the page calls this API with the key its user enters). An unknown file is 404 `not_found`. Standalone, `/` redirects here.")
        { Parameters = [PathParameter("file", "The file; empty (`/dashboard/`) for the page.")], Files = true, Errors = [404], Storage = false },
        new("post", "api/admin/cancel_all", "cancelAll", "Admin", "Cancel every open order", "Of every symbol, or of `symbol`. `ok` is false when `failed` is not empty: call again.")
        { Body = "CancelAllRequest", BodyOptional = true, Ok = OpenApiSchemas.Ref(typeof(CancelAllResponse)), Errors = [400, 413, 415] },
    ];

    /// <summary>The document's path of a function route: a catch-all <c>{*file}</c> is the path parameter <c>{file}</c>.</summary>
    public static string DocumentPath(string route) => "/" + route.Replace("{*", "{", StringComparison.Ordinal);

    /// <summary>Route and verb of every operation the document describes.</summary>
    public static IEnumerable<(string Route, string Verb)> Operations => s_operations.Select(o => (o.Route, o.Verb));

    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var operation in s_operations)
        {
            if (paths[DocumentPath(operation.Route)] is not JsonObject item)
            {
                paths[DocumentPath(operation.Route)] = item = [];
            }

            item[operation.Verb] = Describe(operation);
        }

        return new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "VeloZ gateway API",
                ["version"] = "1",
                ["description"] = """
                    The HTTP API of the VeloZ trading gateway. Bodies are UTF-8 JSON; prices and quantities are JSON numbers carried as
                    exact decimals; times are `ts_ns`, integer nanoseconds since the Unix epoch. Every error is JSON with a stable
                    `error` code, `"ok":false` and a human `message` (schema `Error`). When authentication is on, every operation
                    except the health probes and this document needs an API key with the scope its security names
                    (`read` < `trade` < `admin`); with it off, nothing is checked. Every operation also answers `OPTIONS` (CORS preflight, 204).
                    """,
            },
            ["tags"] = new JsonArray([.. s_tags.Select(t => new JsonObject { ["name"] = t })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = OpenApiSchemas.Build(),
                ["responses"] = new JsonObject([.. s_errors.Select(e => KeyValuePair.Create<string, JsonNode?>(e.Name, ErrorAnswer(e.Status, e.Description)))]),
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = new JsonObject
                    {
                        ["type"] = "apiKey", ["in"] = "header", ["name"] = ApiCredentials.ApiKeyHeader,
                        ["description"] = "A VeloZ API key (`vz_…`, created by `POST /api/admin/keys`, or the bootstrap admin key `VELOZ_ADMIN_API_KEY`). The scope an operation needs is named in its security requirement: `read`, `trade` (includes read) or `admin` (includes both).",
                    },
                    ["bearer"] = new JsonObject
                    {
                        ["type"] = "http", ["scheme"] = "bearer",
                        ["description"] = "The same API key as `Authorization: Bearer <key>`.",
                    },
                    ["accessToken"] = new JsonObject
                    {
                        ["type"] = "apiKey", ["in"] = "query", ["name"] = RoutePolicy.AccessTokenQueryName,
                        ["description"] = "`/api/stream` only, for `EventSource`, which cannot set headers: a `read`-scope key (any other is refused with 403, since a URL ends up in logs and history).",
                    },
                },
            },
        };
    }

    private static JsonObject Describe(Operation operation)
    {
        var policy = RoutePolicy.For(operation.Route);
        var responses = new JsonObject();
        if (operation.Route == "api/stream")
        {
            responses["200"] = new JsonObject
            {
                ["description"] = "The event stream (`Content-Type: text/event-stream; charset=utf-8`, `Cache-Control: no-cache`).",
                ["content"] = new JsonObject
                {
                    ["text/event-stream"] = new JsonObject
                    {
                        ["schema"] = new JsonObject { ["type"] = "string", ["description"] = "`id:`, `event:` and `data:` lines per event; `data` is a `StreamEvent`." },
                        ["x-event-data"] = OpenApiSchemas.Ref("StreamEvent"),
                    },
                },
            };
        }
        else if (operation.Files)
        {
            var file = new JsonObject { ["type"] = "string" };
            responses["200"] = new JsonObject
            {
                ["description"] = "The file, with `ETag` (a matching `If-None-Match` gets 304 with no body).",
                ["content"] = new JsonObject([.. s_fileTypes.Select(type => KeyValuePair.Create<string, JsonNode?>(type, new JsonObject { ["schema"] = file.DeepClone() }))]),
            };
            responses["304"] = new JsonObject { ["description"] = "Not modified since the `ETag` sent in `If-None-Match`." };
        }
        else
        {
            responses["200"] = Json(operation.Ok!, operation.Route == "health/ready" ? "The gateway can trade." : "Success.");
        }

        if (operation.Route == "health/ready")
        {
            responses["503"] = Json(OpenApiSchemas.Ref(typeof(ProbeResponse)), "The gateway cannot trade; `reasons` says why.");
        }

        var errors = new SortedSet<int>(operation.Errors);
        if (policy.Required is not null)
        {
            errors.UnionWith([401, 403, 429]);
        }

        if (operation.Storage)
        {
            errors.Add(503);
        }

        errors.Add(500);
        foreach (var status in errors.Where(s => !responses.ContainsKey(s.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["$ref"] = $"#/components/responses/{s_errors.Single(e => e.Status == status).Name}" };
        }

        var described = new JsonObject
        {
            ["operationId"] = operation.Id,
            ["tags"] = new JsonArray(operation.Tag),
            ["summary"] = operation.Summary,
            ["description"] = operation.Description,
        };
        if (operation.Parameters.Length > 0)
        {
            described["parameters"] = new JsonArray([.. operation.Parameters.Select(p => p.DeepClone())]);
        }

        if (operation.Body is { } body)
        {
            described["requestBody"] = new JsonObject
            {
                ["required"] = !operation.BodyOptional,
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(body) },
                    ["application/x-www-form-urlencoded"] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(body) },
                },
            };
        }

        described["responses"] = responses;
        described["security"] = Security(policy);
        return described;
    }

    /// <summary>Open operations need nothing (an empty requirement); the others any of the key schemes with the scope as role.</summary>
    private static JsonArray Security(RoutePolicy policy)
    {
        if (policy.Required is not { } scope)
        {
            return [new JsonObject()];
        }

        var role = Domain.Security.ApiScopes.ToWire(scope);
        var schemes = policy.QueryTokenAllowed ? new[] { "apiKey", "bearer", "accessToken" } : ["apiKey", "bearer"];
        return [.. schemes.Select(s => new JsonObject { [s] = new JsonArray(role) })];
    }

    private static JsonObject ErrorAnswer(int status, string description)
    {
        var answer = Json(OpenApiSchemas.Ref(typeof(ErrorResponse)), description);
        if (status == 429)
        {
            answer["headers"] = new JsonObject { ["Retry-After"] = new JsonObject { ["description"] = "Seconds to wait.", ["schema"] = new JsonObject { ["type"] = "integer" } } };
        }
        else if (status == 401)
        {
            answer["headers"] = new JsonObject { ["WWW-Authenticate"] = new JsonObject { ["description"] = "`Bearer realm=\"veloz\"`.", ["schema"] = new JsonObject { ["type"] = "string" } } };
        }

        return answer;
    }

    private static JsonObject Json(JsonObject schema, string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema.DeepClone() } },
    };

    private static JsonObject PathParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Query(string name, string description, bool required = false, JsonObject? schema = null) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = required,
        ["description"] = description,
        ["schema"] = schema ?? new JsonObject { ["type"] = "string" },
    };

    private static JsonObject[] HistoryParameters() =>
    [
        Query("symbol", "Only this symbol's orders, any case."),
        Query("status", "Only orders in one of these statuses, comma separated, any case (`filled,cancelled`)."),
        Query("since", "Only orders created at or after this `ts_ns`.", schema: new JsonObject { ["type"] = "integer", ["minimum"] = 0 }),
        Query("limit", "At most this many items, 1 to 1000; default 100.", schema: new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 1000, ["default"] = 100 }),
        Query("cursor", "The `next_cursor` of the previous page (send the same filters)."),
    ];
}
