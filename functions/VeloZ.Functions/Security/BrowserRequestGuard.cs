using System.Net;
using Microsoft.AspNetCore.Http;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Security;

/// <summary>
/// What keeps web pages away from an API that runs without authentication (<c>Hosting.ApiPipeline</c> asks it
/// only then). A browser on this machine reaches a loopback API as readily as any local program does, so:
/// <list type="bullet">
/// <item>the request's <c>Host</c> must name this machine's loopback (<c>localhost</c>, <c>*.localhost</c>,
/// 127.0.0.0/8, <c>[::1]</c>): a page whose own name was made to resolve to 127.0.0.1 (DNS rebinding) sends its
/// own name and is refused;</item>
/// <item>a request a browser marked with an <c>Origin</c> must come from the API's own origin or one listed in
/// <c>VELOZ_CORS_ORIGINS</c>: a page elsewhere cannot even send a "simple" form or text POST that needs no
/// CORS preflight.</item>
/// </list>
/// Programs that are not browsers (curl, bots) send no <c>Origin</c> and address the API by its loopback name,
/// so they are unaffected.
/// </summary>
public sealed class BrowserRequestGuard(CorsPolicy cors)
{
    /// <summary>Null when the request may proceed; otherwise why it is refused: a code for the audit line and a message for the 403 body.</summary>
    public (string Reason, string Message)? Refusal(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsLoopbackHost(request.Host))
        {
            return ("non_loopback_host", "This API runs without authentication and answers only requests addressed to this machine's loopback (localhost, 127.0.0.1, [::1]); turn authentication on to serve other names.");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !cors.Allows(origin) && !IsOwnOrigin(request, origin))
        {
            return ("foreign_origin", "This API runs without authentication and does not accept requests from other web pages; list the page's origin in VELOZ_CORS_ORIGINS to allow it.");
        }

        return null;
    }

    /// <summary><c>localhost</c> and its subdomains (RFC 6761 reserves them for loopback), 127.0.0.0/8 and ::1.</summary>
    public static bool IsLoopbackHost(HostString host)
    {
        var name = host.Host;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // HostString gives IPv6 literals in brackets.
        var literal = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        return IPAddress.TryParse(literal, out var address) && ApiBinding.IsLoopback(address)
            // IPAddress.TryParse also reads "2130706433" or "127.1"; a browser would normalise those, so accept
            // only the dotted-quad or bracketed forms a Host header carries.
            && (name.StartsWith('[') || literal.Count(c => c == '.') == 3);
    }

    private static bool IsOwnOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
}
