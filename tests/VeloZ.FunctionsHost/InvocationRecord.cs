namespace VeloZ.FunctionsHost;

/// <summary>One HTTP invocation the stand-in made, with the worker's verdict.</summary>
/// <param name="FunctionName">The function invoked.</param>
/// <param name="InvocationId">The id sent in the InvocationRequest and the <c>x-ms-invocation-id</c> header.</param>
/// <param name="Status">The worker's status (<c>Success</c>, <c>Failure</c>, <c>Cancelled</c>), or <c>NoResponse</c> when none came.</param>
/// <param name="Error">The worker's exception, or why no response came; null on success.</param>
/// <param name="StatusCode">The HTTP status the client got.</param>
/// <param name="Duration">From the request's arrival to the InvocationResponse.</param>
public sealed record InvocationRecord(string FunctionName, string InvocationId, string Status, string? Error, int StatusCode, TimeSpan Duration)
{
    public bool Succeeded => Status == "Success";
}
