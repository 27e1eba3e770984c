using System.Text.RegularExpressions;

namespace VeloZ.Push.Azure;

/// <summary>How VeloZ uses Azure SignalR Service (serverless mode): hub, token lifetimes, REST retries.</summary>
public sealed partial class AzureSignalROptions
{
    /// <summary>VeloZ's hub.</summary>
    public const string DefaultHub = "veloz";

    /// <summary>The data-plane REST API version every call uses.</summary>
    public const string ApiVersion = "2022-06-01";

    /// <summary>The hub; letters, digits and <c>_</c>, starting with a letter. The service treats it case-insensitively; VeloZ sends it lower-cased.</summary>
    public string Hub { get; set; } = DefaultHub;

    /// <summary>Lifetime of the client tokens negotiate hands out (the service's SDK default is one hour).</summary>
    public TimeSpan ClientTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of the tokens on REST calls; they are reused until <see cref="RestTokenRenewBefore"/> before expiry.</summary>
    public TimeSpan RestTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A cached REST token is replaced when it has less than this left.</summary>
    public TimeSpan RestTokenRenewBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The <c>aud</c> of a REST token. True (default): the full request URL including <c>?api-version=2022-06-01</c>,
    /// which is what the service's .NET management SDK signs for the 2022-06-01 API. False: the URL without the query,
    /// the form the v1 REST documentation shows. A wrong audience is answered 401 ("The audience is invalid").
    /// To be confirmed once against the real service; this is the single switch if it must change.
    /// </summary>
    public bool RestAudienceIncludesQuery { get; set; } = true;

    /// <summary>How many times one message is tried before the publish fails (429, 408, 5xx, timeouts and network errors are retried).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Back-off before the first retry; doubled per retry up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two attempts (also the cap on a 429's <c>Retry-After</c>).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one REST call may take before it counts as a timeout.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws an <see cref="ArgumentException"/> that names the first wrong setting and what it allows.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Hub) || !HubPattern().IsMatch(Hub))
        {
            throw new ArgumentException($"{nameof(Hub)} must start with a letter and contain only letters, digits and '_'.", nameof(Hub));
        }

        RequirePositive(ClientTokenLifetime, nameof(ClientTokenLifetime), TimeSpan.FromSeconds(1));
        RequirePositive(RestTokenLifetime, nameof(RestTokenLifetime), TimeSpan.FromSeconds(1));
        if (RestTokenRenewBefore < TimeSpan.Zero || RestTokenRenewBefore >= RestTokenLifetime)
        {
            throw new ArgumentException($"{nameof(RestTokenRenewBefore)} must be at least 0 and shorter than {nameof(RestTokenLifetime)}.", nameof(RestTokenRenewBefore));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"{nameof(MaxAttempts)} must be at least 1.", nameof(MaxAttempts));
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException($"{nameof(InitialBackoff)} must be at least 0 and {nameof(MaxBackoff)} at least {nameof(InitialBackoff)}.", nameof(InitialBackoff));
        }

        RequirePositive(RequestTimeout, nameof(RequestTimeout), TimeSpan.FromMilliseconds(1));
    }

    private static void RequirePositive(TimeSpan value, string name, TimeSpan minimum)
    {
        if (value < minimum)
        {
            throw new ArgumentException($"{name} must be at least {minimum}.", name);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex HubPattern();
}
