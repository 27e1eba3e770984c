using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Runs <see cref="ApiPipeline"/> around each HTTP invocation when the Functions host started the
/// worker (ASP.NET Core integration: the request's <c>HttpContext</c> is available to middleware). The
/// invoked function is identified by its name, and its route looked up in the same attribute route
/// table the standalone host uses, so authorization decides identically in both hosts.
/// Non-HTTP invocations pass straight through.
/// </summary>
internal sealed class FunctionsHostPipelineMiddleware(ApiPipeline pipeline, FunctionRouteIndex routes) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var httpContext = context.GetHttpContext();
        return httpContext is null
            ? next(context)
            : pipeline.InvokeAsync(httpContext, routes.ByName(context.FunctionDefinition.Name), () => next(context));
    }
}
