namespace VeloZ.Functions.Runtime;

/// <summary>Which host runs the API process: the Azure Functions host (one HTTP execution lives at most about 230 s) or standalone Kestrel.</summary>
public sealed record ApiHost(bool UnderFunctionsHost)
{
    /// <summary>How long one <c>/api/stream</c> response may live under the Functions host: safely below its 230 s limit.</summary>
    public static readonly TimeSpan FunctionsStreamLimit = TimeSpan.FromSeconds(220);
}
