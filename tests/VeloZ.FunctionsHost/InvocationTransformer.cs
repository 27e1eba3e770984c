using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace VeloZ.FunctionsHost;

/// <summary>
/// Forwards a request to the worker's own Kestrel as the host does: all headers, X-Forwarded-* added
/// (the worker's pipeline honours them), and <c>x-ms-invocation-id</c>, by which the worker pairs the
/// HTTP request with the InvocationRequest sent over gRPC.
/// </summary>
internal sealed class InvocationTransformer(string invocationId) : HttpTransformer
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Remove(InvocationIdHeader);
        proxyRequest.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken) =>
        Default.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        Default.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);
}
