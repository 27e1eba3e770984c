using System.Globalization;
using System.Text;

namespace VeloZ.EndToEnd.Tests.Fuzz;

/// <summary>
/// Generates bad and odd requests for every endpoint from a seed: the same seed gives the same requests.
/// <para>
/// Invariant the fuzz test relies on: no generated <c>POST /api/order</c> is a valid order. Each one carries
/// at least one <em>fatal</em> defect (a field that fails validation, a missing field, broken JSON, a
/// duplicate key, an unsupported content type, a body over the limit, a wrong verb or no permission), on top
/// of which <em>odd but harmless</em> variations are mixed in (unknown fields with control characters and
/// unicode, key order, lower-case words, form encoding, a BOM, junk query strings). So a single request that
/// reaches the venue is a bug in VeloZ's validation, not in the generator.
/// </para>
/// </summary>
internal sealed class BadRequestGenerator(int seed)
{
    private const int Limit = 16 * 1024;

    private static readonly string[] s_getPaths =
    [
        "/health", "/api/config", "/api/market", "/api/orders_state", "/api/order_state", "/api/account", "/api/execution/ping",
        "/api/admin/keys", "/api/admin/trading_mode", "/api/orders", "/api/stream",
    ];

    private static readonly string[] s_postPaths =
    [
        "/api/order", "/api/cancel", "/api/admin/keys", "/api/admin/keys/revoke", "/api/admin/trading_mode", "/api/admin/cancel_all", "/api/negotiate",
    ];

    private static readonly string[] s_oddMethods = ["PUT", "DELETE", "PATCH", "HEAD", "TRACE", "FOO", "get", "CONNECTX"];

    private static readonly string[] s_oddPaths =
    [
        "/API/ORDER", "/api/order/", "/api//order", "/api/order/../config", "/api/%6Frder", "/api/order%00", "/api/order;x=1", "/api/admin",
        "/api/admin/keys/", "/api/admin/keys/xyz", "/admin/host/status", "/api/execution", "/health/", "/HEALTH", "/api/config.json",
        "/api/" + new string('a', 2000), "/api/ünïcødé", "/api/%E2%80%AE", "/",
    ];

    // A fatal value for a field: its JSON token, and whether the same text stays fatal when sent form-encoded.
    private static readonly (string Json, bool FormFatal)[] s_badSides =
    [
        ("\"HOLD\"", true), ("\"\"", true), ("\"B U Y\"", true), ("\"BUY\\u0000\"", true), ("1", true), ("true", true), ("null", true),
        ("[]", true), ("{}", true), ("\"ＢＵＹ\"", true), ("\"BUY;SELL\"", true), ("\"" + new string('B', 300) + "\"", true), ("\"SELLL\"", true),
        ("\"\\u202EYUB\"", true), ("[\"BUY\"]", true),
    ];

    private static readonly (string Json, bool FormFatal)[] s_badSymbols =
    [
        ("\"\"", true), ("\"BTC/USDT\"", true), ("\"BTC USDT\"", true), ("\"" + new string('A', 21) + "\"", true), ("\"BTC\\u0000USDT\"", true),
        ("\"😀\"", true), ("\"BTC-USDT\"", true), ("5", false), ("null", false), ("[]", true), ("\"btc.usdt\"", true), ("\"\\u200b\"", true),
        ("\"BTC\\u200DUSDT\"", true), ("{\"a\":1}", true), ("\"ⅫⅫ\"", true), ("\"BTC%USDT\"", true),
    ];

    private static readonly (string Json, bool FormFatal)[] s_badNumbers =
    [
        ("0", true), ("-1", true), ("\"-1\"", true), ("\"NaN\"", true), ("NaN", true), ("\"Infinity\"", true), ("Infinity", true), ("-Infinity", true),
        ("1e400", true), ("\"1e5\"", true), ("\"0x10\"", true), ("true", true), ("null", true), ("[]", true), ("{}", true), ("\"\"", true),
        ("\"1,5\"", true), ("\"1 000\"", true), ("1e-400", true), ("-0", true), ("123456789012345678901234567890", true), ("\"abc\"", true),
        ("\"١٢٣\"", true), ("0.0", true), ("-0.001", true), ("\"+1\"", true), ("1.7976931348623157e308", true), ("\"0.1.2\"", true),
        ("99999999999999999999999999999999", true), ("\"∞\"", true), ("--1", true), ("0x1", true), ("01", false), (".5", false),
    ];

    private static readonly (string Json, bool FormFatal)[] s_badIds =
    [
        ("\"has.dot\"", true), ("\"" + new string('a', 37) + "\"", true), ("\"ünïcode\"", true), ("\"id with space\"", true), ("\"\\u0000\"", true),
        ("7", false), ("true", false), ("[]", true), ("\"😀\"", true), ("\"../etc\"", true), ("{}", true), ("\"a/b\"", true),
        ("\"" + new string('x', 5000) + "\"", true), ("\"id\\\"quote\"", true), ("\"<script>\"", true),
    ];

    private static readonly string[] s_oddStrings =
    [
        "", " ", "\\u0000", "\\u0007\\u001b[31m", "\\ud800", "\\udfff\\ud800", "😀🚀", "ＡＢＣ", "\\u202E", "line\\nbreak", "tab\\there",
        "' OR 1=1 --", "${jndi:ldap://x}", "{{7*7}}", "%00%0a", "\\\\", new string('z', 500), "null", "NaN", "-1",
    ];

    private static readonly string[] s_badContentTypes =
    [
        "application/xml", "multipart/form-data; boundary=xyz", "image/png", "application/json; charset=iso-8859-1", "application/octet-stream",
        "text/html", "application/json; charset=utf-16", "garbage", "application/x-www-form-urlencoded; charset=latin1",
    ];

    private readonly Random _random = new(seed);

    public IEnumerable<FuzzRequest> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next(i);
        }
    }

    private FuzzRequest Next(int index)
    {
        var roll = _random.Next(100);
        var credential = Credential();
        return roll switch
        {
            < 35 => Order(index, credential),
            < 45 => Cancel(index, credential),
            < 60 => Get(index, credential),
            < 72 => Admin(index, credential),
            < 80 => OddMethod(index, credential),
            < 86 => OddPath(index, credential),
            < 90 => Huge(index, credential),
            < 94 => Negotiate(index, credential),
            _ => OrderState(index, credential),
        };
    }

    private FuzzCredential Credential() => _random.Next(100) switch
    {
        < 72 => FuzzCredential.Admin,
        < 80 => FuzzCredential.Trade,
        < 85 => FuzzCredential.Read,
        < 89 => FuzzCredential.None,
        < 93 => FuzzCredential.Garbage,
        < 96 => FuzzCredential.BearerAdmin,
        < 98 => FuzzCredential.OtherScheme,
        _ => FuzzCredential.TwoKeys,
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(int percent) => _random.Next(100) < percent;

    /// <summary>A <c>POST /api/order</c> with at least one fatal defect.</summary>
    private FuzzRequest Order(int index, FuzzCredential credential)
    {
        var fields = new List<(string Name, string Json)>
        {
            ("side", Chance(50) ? "\"BUY\"" : "\"sell\""),
            ("symbol", Chance(80) ? "\"BTCUSDT\"" : "\"btcusdt\""),
            ("qty", Chance(50) ? "0.001" : "\"0.001\""),
            ("price", "40000.00"),
        };
        if (Chance(60))
        {
            fields.Add(("client_order_id", $"\"fz-{index}\""));
        }

        var form = Chance(20);
        var defect = _random.Next(form ? 7 : 10);
        var kind = "order:";
        string? contentType = form ? "application/x-www-form-urlencoded" : Pick(new[] { "application/json", "application/json; charset=utf-8", "text/plain;charset=UTF-8", null });
        byte[]? raw = null;
        switch (defect)
        {
            case 0:
                Set(fields, "side", PickFatal(s_badSides, form));
                kind += "side";
                break;
            case 1:
                Set(fields, "symbol", PickFatal(s_badSymbols, form));
                kind += "symbol";
                break;
            case 2:
                Set(fields, Chance(50) ? "qty" : "price", PickFatal(s_badNumbers, form));
                kind += "number";
                break;
            case 3:
                Set(fields, "client_order_id", PickFatal(s_badIds, form));
                kind += "client_order_id";
                break;
            case 4:
                var missing = Pick(new[] { "side", "symbol", "qty", "price" });
                fields.RemoveAll(f => f.Name == missing);
                kind += "missing";
                break;
            case 5:
                fields.Add(Pick(fields.Where(f => f.Name is "side" or "symbol" or "qty" or "price").ToList()));
                kind += "duplicate";
                break;
            case 6:
                contentType = Pick(s_badContentTypes);
                kind += "content_type";
                break;
            case 7:
                raw = Encoding.UTF8.GetBytes(BrokenJson(fields));
                kind += "broken_json";
                break;
            case 8:
                fields.Add(("nested", Deep(_random.Next(9, 200))));
                kind += "deep";
                break;
            default:
                raw = Encoding.UTF8.GetBytes(Pick(new[] { "[", "[]", "\"text\"", "42", "null", "true", "{}", "", " ", "\u0000", "{\"side\":\"BUY\"}{}" }));
                kind += "not_an_order";
                break;
        }

        // Harmless oddities on top of the defect.
        if (Chance(30))
        {
            fields.Add(($"x{_random.Next(1000)}", $"\"{Pick(s_oddStrings)}\""));
        }

        if (Chance(20))
        {
            fields.Add((Pick(new[] { "Side", "QTY", "clientOrderId", "type", "timeInForce", "\\u0000", "😀" }), $"\"{Pick(s_oddStrings)}\""));
        }

        if (Chance(20))
        {
            Shuffle(fields);
        }

        var body = raw ?? (form ? Encoding.UTF8.GetBytes(Form(fields)) : Encoding.UTF8.GetBytes(Json(fields)));
        if (raw is null && !form && Chance(5))
        {
            body = [0xEF, 0xBB, 0xBF, .. body];
        }

        if (raw is null && Chance(3))
        {
            // An invalid UTF-8 byte inside the body.
            body = [.. body[..^1], 0xC3, 0x28, .. body[^1..]];
        }

        return new FuzzRequest(index, "POST", "/api/order" + (Chance(15) ? JunkQuery() : ""), contentType, body, Chance(10), credential, kind);
    }

    private FuzzRequest Cancel(int index, FuzzCredential credential)
    {
        var fields = new List<(string Name, string Json)>();
        if (Chance(85))
        {
            fields.Add(("client_order_id", Chance(40) ? $"\"fz-cancel-{index}\"" : PickFatal(s_badIds, false)));
        }

        if (Chance(40))
        {
            fields.Add(("symbol", Chance(50) ? "\"BTCUSDT\"" : PickFatal(s_badSymbols, false)));
        }

        if (Chance(20))
        {
            fields.Add(($"x{_random.Next(100)}", $"\"{Pick(s_oddStrings)}\""));
        }

        var body = Chance(15) ? BrokenJson(fields) : Chance(15) ? Form(fields) : Json(fields);
        return new FuzzRequest(index, "POST", "/api/cancel", Chance(10) ? Pick(s_badContentTypes) : "application/json", Encoding.UTF8.GetBytes(body), Chance(10), credential, "cancel");
    }

    private FuzzRequest Get(int index, FuzzCredential credential)
    {
        var path = Pick(s_getPaths);
        var body = Chance(5) ? Encoding.UTF8.GetBytes("{\"unexpected\":\"body\"}") : null;
        return new FuzzRequest(index, "GET", path + (Chance(60) ? JunkQuery() : ""), body is null ? null : "application/json", body, false, credential, "get");
    }

    private FuzzRequest OrderState(int index, FuzzCredential credential)
    {
        var id = _random.Next(10) switch
        {
            0 => "",
            1 => Uri.EscapeDataString(new string('a', _random.Next(37, 3000))),
            2 => "has.dot",
            3 => $"fz-{index}&client_order_id=again",
            4 => "%00%0A%0D",
            5 => Uri.EscapeDataString("ünï😀"),
            6 => "%E2%80%AE%F0%9F",
            7 => "%ZZ%",
            8 => $"fz-{index}",
            _ => Uri.EscapeDataString(Pick(s_oddStrings)),
        };
        var name = Chance(90) ? "client_order_id" : Pick(new[] { "CLIENT_ORDER_ID", "client_order_id[]", "id", "" });
        return new FuzzRequest(index, "GET", $"/api/order_state?{name}={id}" + (Chance(20) ? "&" + JunkQuery().TrimStart('?') : ""), null, null, false, credential, "order_state");
    }

    private FuzzRequest Admin(int index, FuzzCredential credential)
    {
        var (path, fields) = _random.Next(4) switch
        {
            0 => ("/api/admin/keys", new List<(string, string)>
            {
                ("name", Chance(30) ? "\"fuzz key\"" : $"\"{Pick(s_oddStrings)}\""),
                ("scope", Chance(30) ? Pick(new[] { "\"read\"", "\"trade\"", "\"admin\"" }) : Pick(new[] { "\"root\"", "\"READ\"", "1", "null", "[\"admin\"]", "\"admin \"", "\"\"" })),
            }),
            1 => ("/api/admin/keys/revoke", new List<(string, string)>
            {
                ("key_id", Pick(new[] { "\"0123456789abcdef\"", "\"bootstrap-admin\"", "\"\"", "1", "\"0123456789ABCDEF\"", $"\"{Pick(s_oddStrings)}\"" })),
            }),
            2 => ("/api/admin/trading_mode", new List<(string, string)>
            {
                ("mode", Pick(new[] { "\"normal\"", "\"cancel_only\"", "\"CANCEL_ONLY\"", "\"stop\"", "1", "null", "[]", $"\"{Pick(s_oddStrings)}\"" })),
            }),
            _ => ("/api/admin/cancel_all", Chance(50) ? [] : new List<(string, string)> { ("symbol", Chance(50) ? "\"BTCUSDT\"" : PickFatal(s_badSymbols, false)) }),
        };
        var body = Chance(10) ? BrokenJson(fields) : Chance(10) ? Form(fields) : Json(fields);
        return new FuzzRequest(index, "POST", path + (Chance(10) ? JunkQuery() : ""), Chance(8) ? Pick(s_badContentTypes) : "application/json", Encoding.UTF8.GetBytes(body), Chance(10), credential, "admin");
    }

    private FuzzRequest OddMethod(int index, FuzzCredential credential)
    {
        var path = Chance(50) ? Pick(s_getPaths) : Pick(s_postPaths);
        var body = Chance(50) ? Encoding.UTF8.GetBytes("{\"side\":\"BUY\"}") : null;
        return new FuzzRequest(index, Pick(s_oddMethods), path, body is null ? null : "application/json", body, false, credential, "method");
    }

    private FuzzRequest OddPath(int index, FuzzCredential credential)
    {
        var post = Chance(50);
        var body = post ? Encoding.UTF8.GetBytes(Json([("side", "\"BUY\""), ("symbol", "\"BTCUSDT\""), ("qty", "\"x\""), ("price", "1")])) : null;
        return new FuzzRequest(index, post ? "POST" : "GET", Pick(s_oddPaths) + (Chance(30) ? JunkQuery() : ""), post ? "application/json" : null, body, false, credential, "path");
    }

    private FuzzRequest Huge(int index, FuzzCredential credential)
    {
        var size = Chance(70) ? _random.Next(Limit + 1, 4 * Limit) : _random.Next(4 * Limit, 1024 * 1024);
        var pad = new string((char)('a' + _random.Next(26)), size);
        var body = Encoding.UTF8.GetBytes($$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000,"pad":"{{pad}}"}""");
        return new FuzzRequest(index, "POST", Pick(new[] { "/api/order", "/api/cancel", "/api/admin/keys", "/api/admin/cancel_all" }), "application/json", body, Chance(40), credential, "huge");
    }

    private FuzzRequest Negotiate(int index, FuzzCredential credential) =>
        new(index, "POST", "/api/negotiate" + (Chance(30) ? JunkQuery() : ""), "application/json", Encoding.UTF8.GetBytes(Chance(50) ? "{}" : BrokenJson([])), false, credential, "negotiate");

    private string PickFatal((string Json, bool FormFatal)[] values, bool form)
    {
        while (true)
        {
            var (json, formFatal) = Pick(values);
            if (!form || formFatal)
            {
                return json;
            }
        }
    }

    private static void Set(List<(string Name, string Json)> fields, string name, string json)
    {
        fields.RemoveAll(f => f.Name == name);
        fields.Add((name, json));
    }

    private void Shuffle(List<(string Name, string Json)> fields)
    {
        for (var i = fields.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (fields[i], fields[j]) = (fields[j], fields[i]);
        }
    }

    private static string Json(IEnumerable<(string Name, string Json)> fields) =>
        "{" + string.Join(",", fields.Select(f => $"\"{f.Name}\":{f.Json}")) + "}";

    /// <summary>Form encoding: string tokens lose their quotes (and are unescaped), others are sent as their text.</summary>
    private static string Form(IEnumerable<(string Name, string Json)> fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(Unescape(f.Name)) + "=" + Uri.EscapeDataString(f.Json.StartsWith('"') ? Unescape(f.Json[1..^1]) : f.Json)));

    private static string Unescape(string jsonStringContent)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>("\"" + jsonStringContent + "\"") ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return jsonStringContent;
        }
    }

    private string BrokenJson(IReadOnlyList<(string Name, string Json)> fields)
    {
        var json = Json(fields);
        return _random.Next(8) switch
        {
            0 => json[..Math.Max(1, json.Length / 2)],
            1 => json + "}",
            2 => json.Replace("\"", "'", StringComparison.Ordinal),
            3 => json.Replace(":", "=", StringComparison.Ordinal),
            4 => "/* comment */" + json,
            5 => json.TrimEnd('}') + ",}",
            6 => json.Replace("{", "{\"a\":", StringComparison.Ordinal),
            _ => json + Pick(new[] { "\u0000", " trailing", ",{}", "]" }),
        };
    }

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private string JunkQuery()
    {
        var parts = new List<string>();
        for (var i = _random.Next(1, 5); i > 0; i--)
        {
            parts.Add(_random.Next(9) switch
            {
                0 => "access_token=" + Uri.EscapeDataString(Pick(s_oddStrings)),
                1 => "last_id=" + Pick(new[] { "-1", "99999999999999999999", "abc", "1e9", "" }),
                2 => "%ZZ=%",
                3 => "a=" + new string('b', _random.Next(1, 2000)),
                4 => "symbol=" + Uri.EscapeDataString("BTC\u0000USDT"),
                5 => "=",
                6 => "&&&",
                7 => "code=" + Guid.NewGuid().ToString("N"),
                _ => $"x{_random.Next(100).ToString(CultureInfo.InvariantCulture)}=" + Uri.EscapeDataString(Pick(s_oddStrings)),
            });
        }

        return "?" + string.Join("&", parts);
    }
}
