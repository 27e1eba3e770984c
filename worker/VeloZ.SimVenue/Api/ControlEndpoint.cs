using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>
/// The <c>/sim/…</c> control surface (only with <see cref="SimVenueOptions.EnableControlEndpoints"/>): the same
/// fault, market and account controls the in-process handle offers, for tests that run the standalone host.
/// Not part of Binance's protocol; parameters come from the query string.
/// </summary>
internal sealed class ControlEndpoint(VenueRuntime runtime, SimVenueMarket market, SimVenueAccounts accounts)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var query = context.Request.Query;
        var isPost = HttpMethods.IsPost(context.Request.Method);
        JsonNode result;
        try
        {
            result = (path, isPost) switch
            {
                ("/sim/counters", false) => Counters(),
                ("/sim/faults", true) => SetFaults(query),
                ("/sim/faults/reset", true) => Reset(),
                ("/sim/drop-websockets", true) => Connections(runtime.Faults.DropWebSockets()),
                ("/sim/end-streams", true) => Connections(runtime.Faults.EndStreams()),
                ("/sim/server-shutdown", true) => Connections(runtime.Faults.AnnounceServerShutdown()),
                ("/sim/ban", true) => Ban(query),
                ("/sim/step", true) => Step(query),
                ("/sim/price", true) => SetPrice(query),
                ("/sim/deposit", true) => Deposit(query),
                _ => throw new KeyNotFoundException(path),
            };
        }
        catch (KeyNotFoundException)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            result = new JsonObject { ["error"] = exception.Message };
        }

        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.WriteAsync(Wire.Json(result), context.RequestAborted);
    }

    private JsonObject Counters()
    {
        var counters = runtime.Counters;
        return new JsonObject
        {
            ["ordersReceived"] = counters.OrdersReceived,
            ["ordersExecuted"] = counters.OrdersExecuted,
            ["ordersRejected"] = counters.OrdersRejected,
            ["cancelsReceived"] = counters.CancelsReceived,
            ["ordersCanceled"] = counters.OrdersCanceled,
            ["trades"] = counters.Trades,
            ["faultsInjected"] = counters.FaultsInjected,
            ["webSocketsAccepted"] = counters.WebSocketsAccepted,
            ["webSocketsOpen"] = counters.WebSocketsOpen,
            ["requestsRateLimited"] = counters.RequestsRateLimited,
            ["restRequests"] = counters.RestRequests,
        };
    }

    private JsonObject SetFaults(IQueryCollection query)
    {
        var faults = runtime.Faults;
        if (Text(query, "orderFaultKind") is { } kind)
        {
            faults.OrderFaultKind = Enum.Parse<OrderFaultKind>(kind, ignoreCase: true);
        }

        if (Text(query, "orderFaultRate") is { } rate)
        {
            faults.OrderFaultRate = double.Parse(rate, CultureInfo.InvariantCulture);
        }

        if (Text(query, "failNextOrders") is { } count)
        {
            faults.FailNextOrders(int.Parse(count, CultureInfo.InvariantCulture), faults.OrderFaultKind);
        }

        if (Text(query, "messageDelayMs") is { } delay)
        {
            faults.MessageDelay = TimeSpan.FromMilliseconds(long.Parse(delay, CultureInfo.InvariantCulture));
        }

        if (Text(query, "clockSkewMs") is { } skew)
        {
            faults.ClockSkew = TimeSpan.FromMilliseconds(long.Parse(skew, CultureInfo.InvariantCulture));
        }

        if (Text(query, "noResponseHoldMs") is { } hold)
        {
            faults.NoResponseHold = TimeSpan.FromMilliseconds(long.Parse(hold, CultureInfo.InvariantCulture));
        }

        return Faults();
    }

    private JsonObject Ban(IQueryCollection query)
    {
        var seconds = Text(query, "seconds") is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : 120;
        runtime.Faults.Ban(TimeSpan.FromSeconds(seconds));
        return Faults();
    }

    private JsonObject Reset()
    {
        runtime.Faults.Reset();
        return Faults();
    }

    private JsonObject Faults()
    {
        var faults = runtime.Faults;
        return new JsonObject
        {
            ["orderFaultRate"] = faults.OrderFaultRate,
            ["orderFaultKind"] = faults.OrderFaultKind.ToString(),
            ["messageDelayMs"] = (long)faults.MessageDelay.TotalMilliseconds,
            ["clockSkewMs"] = (long)faults.ClockSkew.TotalMilliseconds,
            ["noResponseHoldMs"] = (long)faults.NoResponseHold.TotalMilliseconds,
            ["bannedUntilMs"] = faults.BannedUntil is { } until ? (until + faults.ClockSkew).ToUnixTimeMilliseconds() : null,
        };
    }

    private static JsonObject Connections(int count) => new() { ["connections"] = count };

    private JsonObject Step(IQueryCollection query)
    {
        var steps = Text(query, "steps") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : 1;
        if (Text(query, "symbol") is { } symbol)
        {
            market.Step(symbol, steps);
        }
        else
        {
            market.Step(steps);
        }

        return Prices();
    }

    private JsonObject SetPrice(IQueryCollection query)
    {
        market.SetPrice(Required(query, "symbol"), Wire.ParseInvariant(Required(query, "price")));
        return Prices();
    }

    private JsonObject Prices()
    {
        var prices = new JsonObject();
        foreach (var symbol in market.Symbols)
        {
            prices[symbol] = Wire.Dec(market.GetPrice(symbol));
        }

        return prices;
    }

    private JsonObject Deposit(IQueryCollection query)
    {
        var apiKey = Required(query, "apiKey");
        var asset = Required(query, "asset");
        accounts.Deposit(apiKey, asset, decimal.Parse(Required(query, "amount"), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
        var balance = accounts.GetBalance(apiKey, asset);
        return new JsonObject { ["asset"] = asset, ["free"] = Wire.Dec(balance.Free), ["locked"] = Wire.Dec(balance.Locked) };
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    private static string Required(IQueryCollection query, string name) =>
        Text(query, name) ?? throw new ArgumentException($"Query parameter '{name}' is required.", name);
}
