using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>
/// The REST transport (Binance's rest-api.md): parameters from the query string and/or the form body (query wins), the
/// signature checked over the raw, undecoded payload exactly as sent, Binance's headers on every answer
/// (<c>X-MBX-USED-WEIGHT-1M</c>, order counts on placements, <c>Retry-After</c> on 429), and the
/// fault-injected answers for executed placements.
/// </summary>
internal sealed class RestEndpoint
{
    private const int MaxBodyBytes = 64 * 1024;

    private readonly VenueDispatcher _dispatcher;
    private readonly SimVenueFaults _faults;
    private readonly VenueClock _clock;
    private readonly SimVenueCounters _counters;
    private readonly Dictionary<string, Dictionary<string, VenueOperation>> _routes = new(StringComparer.Ordinal);

    public RestEndpoint(VenueApi api, VenueDispatcher dispatcher, SimVenueFaults faults, VenueClock clock, SimVenueCounters counters)
    {
        _counters = counters;
        _dispatcher = dispatcher;
        _faults = faults;
        _clock = clock;
        foreach (var operation in api.Operations)
        {
            if (!_routes.TryGetValue(operation.RestPath, out var byMethod))
            {
                byMethod = new Dictionary<string, VenueOperation>(StringComparer.Ordinal);
                _routes[operation.RestPath] = byMethod;
            }

            byMethod[operation.RestMethod] = operation;
        }
    }

    public bool IsRestPath(string path) => _routes.ContainsKey(path);

    public async Task HandleAsync(HttpContext context)
    {
        _counters.RestRequest();
        var ip = ClientIp(context);
        if (VenueErrors.Banned(_faults, _clock) is { } banned)
        {
            // A banned IP gets nothing else: no weight accounting, no routing (Binance's rest-api.md "LIMITS").
            await WriteAsync(context, banned.HttpStatus, Error(banned), null, null, banned.RetryAfterSeconds);
            return;
        }

        var byMethod = _routes[context.Request.Path.Value ?? string.Empty];
        if (!byMethod.TryGetValue(context.Request.Method, out var operation))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        VenueRequest request;
        try
        {
            request = await ReadRequestAsync(context, ip);
        }
        catch (VenueRejection rejection)
        {
            request = new VenueRequest { Transport = Transport.Rest, Params = new Dictionary<string, string>(), ClientIp = ip, TransportRejection = rejection };
        }

        var result = _dispatcher.Execute(operation, request);
        if (result.Error is { } error)
        {
            await WriteAsync(context, error.HttpStatus, Error(error), result.UsedWeight, null, error.RetryAfterSeconds);
            return;
        }

        switch (result.Fault)
        {
            case OrderFaultKind.ServerError:
                await WriteAsync(context, 500, Error(VenueErrors.UnexpectedResponse()), result.UsedWeight, null, null);
                return;
            case OrderFaultKind.BackendTimeout:
                await WriteAsync(context, 503, Error(VenueErrors.BackendTimeout()), result.UsedWeight, null, null);
                return;
            case OrderFaultKind.NoResponse:
                try
                {
                    await Task.Delay(_faults.NoResponseHold, _clock.TimeProvider, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up first; either way it never gets an answer.
                }

                context.Abort();
                return;
            case null:
            default:
                await WriteAsync(context, 200, result.Body!, result.UsedWeight, result.OrderCounts, null);
                return;
        }
    }

    internal static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";

    private static JsonObject Error(VenueRejection rejection) => new() { ["code"] = rejection.Code, ["msg"] = rejection.Message };

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body, int? usedWeight, (int TenSeconds, int Day)? orderCounts, int? retryAfter)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (usedWeight is { } weight)
        {
            response.Headers["X-MBX-USED-WEIGHT-1M"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["x-mbx-used-weight"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (orderCounts is { } counts)
        {
            response.Headers["X-MBX-ORDER-COUNT-10S"] = counts.TenSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["X-MBX-ORDER-COUNT-1D"] = counts.Day.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (retryAfter is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json;charset=UTF-8";
        await response.WriteAsync(Wire.Json(body), context.RequestAborted);
    }

    private static async Task<VenueRequest> ReadRequestAsync(HttpContext context, string ip)
    {
        var rawQuery = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : string.Empty;
        var rawBody = string.Empty;
        if (!HttpMethods.IsGet(context.Request.Method) && context.Request.ContentLength is not 0)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBodyBytes)
            {
                throw VenueErrors.TooManyParameters();
            }

            rawBody = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        var query = Split(rawQuery);
        var body = Split(rawBody);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value, _) in query)
        {
            parameters[name] = value;
        }

        foreach (var (name, value, _) in body)
        {
            parameters.TryAdd(name, value);
        }

        parameters.Remove("signature", out var signature);

        // The signed payload is the query string followed directly by the body, as sent, without the signature pair (Binance's rest-api.md "SIGNED Endpoint Examples").
        var payload = string.Join('&', query.Where(p => p.Name != "signature").Select(p => p.Raw))
            + string.Join('&', body.Where(p => p.Name != "signature").Select(p => p.Raw));
        return new VenueRequest
        {
            Transport = Transport.Rest,
            Params = parameters,
            ClientIp = ip,
            ApiKey = context.Request.Headers["X-MBX-APIKEY"].FirstOrDefault(),
            Signature = signature,
            SignaturePayload = payload,
        };
    }

    private static List<(string Name, string Value, string Raw)> Split(string raw)
    {
        var pairs = new List<(string Name, string Value, string Raw)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? segment : segment[..equals]);
            var value = equals < 0 ? string.Empty : Decode(segment[(equals + 1)..]);
            if (!seen.Add(name))
            {
                throw VenueErrors.DuplicateParameter();
            }

            pairs.Add((name, value, segment));
        }

        return pairs;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw VenueErrors.Malformed();
        }
    }
}
