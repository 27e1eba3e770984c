namespace VeloZ.FunctionsHost;

/// <summary>
/// A function the worker reported and loaded, as the stand-in serves it.
/// </summary>
/// <param name="Name">The function name (<c>[Function("...")]</c>).</param>
/// <param name="FunctionId">The id the worker assigned; invocations carry it.</param>
/// <param name="EntryPoint">The method, <c>Namespace.Class.Method</c>.</param>
/// <param name="TriggerType">The trigger binding's type, e.g. <c>httpTrigger</c>.</param>
/// <param name="TriggerBindingName">The trigger binding's (parameter) name, the input name of each invocation.</param>
/// <param name="Route">The HTTP trigger's route (the function name when the trigger names none); null for other triggers.</param>
/// <param name="Path">The request path template the stand-in serves it at, with the <c>routePrefix</c>, e.g. <c>/api/config</c>; null for other triggers.</param>
/// <param name="Methods">The HTTP methods, upper case; empty means every method.</param>
/// <param name="AuthLevel">The HTTP trigger's <c>authLevel</c>.</param>
public sealed record LoadedFunction(
    string Name,
    string FunctionId,
    string EntryPoint,
    string TriggerType,
    string TriggerBindingName,
    string? Route,
    string? Path,
    IReadOnlyList<string> Methods,
    FunctionAuthLevel AuthLevel)
{
    public bool IsHttp => Path is not null;
}
