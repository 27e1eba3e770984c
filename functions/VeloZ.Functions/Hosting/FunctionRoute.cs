using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace VeloZ.Functions.Hosting;

/// <summary>One HTTP-triggered function as its attributes declare it.</summary>
/// <param name="Name">The <c>[Function]</c> name.</param>
/// <param name="Route">The trigger's route (without the host.json route prefix).</param>
/// <param name="Methods">Verbs, lower case, as the Functions SDK writes them into <c>functions.metadata</c>.</param>
/// <param name="AuthLevel">The trigger's <c>authLevel</c> (enforced by the Functions host only).</param>
/// <param name="Method">The function method.</param>
public sealed record FunctionRoute(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method);

/// <summary>
/// Reads the API's route table from the same <c>[Function]</c>/<c>[HttpTrigger]</c> attributes the
/// Functions SDK compiles into <c>functions.metadata</c>, so the standalone host serves exactly the
/// routes the Functions host does (a test compares the two).
/// </summary>
public static class FunctionRouteTable
{
    public static IReadOnlyList<FunctionRoute> FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var routes = new List<FunctionRoute>();
        foreach (var type in assembly.GetExportedTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var trigger = method.GetParameters()
                    .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                    .FirstOrDefault(a => a is not null);
                if (trigger is null)
                {
                    continue;
                }

                var methods = (trigger.Methods ?? ["get", "post"]).Select(m => m.ToLowerInvariant()).ToArray();
                routes.Add(new FunctionRoute(function.Name, trigger.Route ?? function.Name, methods, trigger.AuthLevel, method));
            }
        }

        return [.. routes.OrderBy(r => r.Route, StringComparer.Ordinal)];
    }
}
