using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Maps each function of <see cref="FunctionRouteTable"/> to a Kestrel endpoint. Like the Functions
/// worker, it creates the function class per request from DI, binds <see cref="HttpRequest"/> and
/// <see cref="CancellationToken"/> parameters, and executes the returned <see cref="IActionResult"/>.
/// </summary>
public static class StandaloneFunctionEndpoints
{
    public static IReadOnlyList<FunctionRoute> MapFunctions(this IEndpointRouteBuilder endpoints, Assembly assembly, string routePrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var routes = FunctionRouteTable.FromAssembly(assembly);
        foreach (var route in routes)
        {
            var methods = route.Methods.Select(m => m.ToUpperInvariant()).ToArray();
            endpoints.MapMethods(HostSettings.PathFor(routePrefix, route.Route), methods, CreateDelegate(route.Method))
                .WithName(route.Name)
                .WithMetadata(route);
        }

        return routes;
    }

    private static RequestDelegate CreateDelegate(MethodInfo method)
    {
        var declaringType = method.DeclaringType ?? throw new InvalidOperationException($"Function {method.Name} has no declaring type.");
        var factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(declaringType, Type.EmptyTypes);
        var invoker = MethodInvoker.Create(method);
        var parameters = method.GetParameters();
        foreach (var parameter in parameters)
        {
            if (parameter.ParameterType != typeof(HttpRequest) && parameter.ParameterType != typeof(CancellationToken))
            {
                // Function classes take DI services in their constructors; a parameter of any other type
                // would bind differently under the two hosts, so it is refused at start-up.
                throw new InvalidOperationException($"Function {declaringType.Name}.{method.Name}: parameter '{parameter.Name}' of type {parameter.ParameterType.Name} is not supported; use HttpRequest, CancellationToken or constructor injection.");
            }
        }

        return async context =>
        {
            var instance = factory?.Invoke(context.RequestServices, null);
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                arguments[i] = parameters[i].ParameterType == typeof(HttpRequest) ? context.Request : context.RequestAborted;
            }

            IActionResult? result;
            try
            {
                object? returned;
                try
                {
                    returned = invoker.Invoke(instance, arguments.AsSpan());
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    ExceptionDispatchInfo.Throw(ex.InnerException);
                    throw;
                }

                result = returned switch
                {
                    Task<IActionResult> task => await task,
                    IActionResult actionResult => actionResult,
                    Task task => await AwaitNoResult(task),
                    _ => null,
                };
            }
            finally
            {
                switch (instance)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync();
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }

            if (result is not null)
            {
                await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
            }
        };
    }

    private static async Task<IActionResult?> AwaitNoResult(Task task)
    {
        await task;
        return null;
    }
}
