using VeloZ.Domain.Security;

namespace VeloZ.Functions.Security;

/// <summary>
/// The scope each endpoint needs, decided by the function's route (the <c>[HttpTrigger]</c> route, the
/// same under both hosts), never by the raw request path: <c>health</c> and its probes <c>health/live</c> and
/// <c>health/ready</c>, and the API's description <c>openapi.json</c>, are open (no secrets), and so is the dashboard's <c>dashboard/{*file}</c> (its files hold no data);
/// <c>api/order</c> and <c>api/cancel</c> need <c>trade</c>; everything under <c>api/admin/</c> needs
/// <c>admin</c>; every other route needs <c>read</c> — so a function added later (the stream,
/// negotiate, ...) is covered without being listed. <c>api/stream</c> also takes the key from the
/// <c>access_token</c> query parameter, because a browser's <c>EventSource</c> cannot set headers.
/// </summary>
/// <param name="Required">The scope needed; null = open.</param>
/// <param name="QueryTokenAllowed">Whether <c>?access_token=</c> is accepted.</param>
public sealed record RoutePolicy(ApiScope? Required, bool QueryTokenAllowed)
{
    public const string AccessTokenQueryName = "access_token";

    private static readonly RoutePolicy s_open = new(null, false);
    private static readonly RoutePolicy s_read = new(ApiScope.Read, false);
    private static readonly RoutePolicy s_stream = new(ApiScope.Read, true);
    private static readonly RoutePolicy s_trade = new(ApiScope.Trade, false);
    private static readonly RoutePolicy s_admin = new(ApiScope.Admin, false);

    public static RoutePolicy For(string route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var r = route.Trim('/');
        if (Is(r, "health") || Is(r, "health/live") || Is(r, "health/ready") || Is(r, "openapi.json") || Is(r, Endpoints.DashboardFunction.Route))
        {
            return s_open;
        }

        if (Is(r, "api/order") || Is(r, "api/cancel"))
        {
            return s_trade;
        }

        if (Is(r, "api/admin") || r.StartsWith("api/admin/", StringComparison.OrdinalIgnoreCase))
        {
            return s_admin;
        }

        return Is(r, "api/stream") ? s_stream : s_read;
    }

    private static bool Is(string route, string expected) => string.Equals(route, expected, StringComparison.OrdinalIgnoreCase);
}
