using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Runs <see cref="ApiPipeline"/> around each HTTP invocation when the Functions host started the
/// worker (ASP.NET Core integration: the request's <c>HttpContext</c> is available to middleware). The
/// invoked function is identified by its name, and its route looked up in the same attribute route
/// table the standalone host uses, so authorization decides identically in both hosts.
/// Invariant: an HTTP invocation of a function the route table does not know is refused (500
/// <c>internal_error</c>, logged) and never runs: without its route there is no scope to check, and it
/// must not be served without one. Non-HTTP invocations pass straight through.
/// </summary>
internal sealed partial class FunctionsHostPipelineMiddleware(ApiPipeline pipeline, FunctionRouteIndex routes, ILogger<FunctionsHostPipelineMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var httpContext = context.GetHttpContext();
        if (httpContext is null)
        {
            return next(context);
        }

        var name = context.FunctionDefinition.Name;
        if (routes.ByName(name) is not { } function)
        {
            LogUnknownFunction(logger, name);
            return ApiErrorWriter.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, ApiErrors.InternalError, "This function is not in the API's route table, so it is not served; it has been logged.");
        }

        return pipeline.InvokeAsync(httpContext, function, () => next(context));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP function {FunctionName} is not in the API's route table; the request was refused")]
    private static partial void LogUnknownFunction(ILogger logger, string functionName);
}
