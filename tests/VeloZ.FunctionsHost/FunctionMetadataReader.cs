using System.Text.Json;
using VeloZ.FunctionsHost.Protocol;

namespace VeloZ.FunctionsHost;

/// <summary>
/// Turns the metadata the worker reported into <see cref="LoadedFunction"/>s: the trigger is the binding
/// whose type ends in <c>Trigger</c>; an HTTP trigger's <c>route</c>, <c>methods</c> and <c>authLevel</c>
/// come from its raw binding JSON, as the host reads them.
/// </summary>
internal static class FunctionMetadataReader
{
    public static LoadedFunction Read(RpcFunctionMetadata metadata, string functionId, string routePrefix)
    {
        JsonElement? trigger = null;
        foreach (var raw in metadata.RawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var binding = document.RootElement;
            if (String(binding, "type") is { } type && type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                trigger = binding.Clone();
                break;
            }
        }

        if (trigger is not { } found)
        {
            // No raw bindings: fall back to the structured map, which has no route or methods.
            var (name, info) = metadata.Bindings.FirstOrDefault(b => b.Value.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
            return new LoadedFunction(metadata.Name, functionId, metadata.EntryPoint, info?.Type ?? "", name ?? "", null, null, [], FunctionAuthLevel.Anonymous);
        }

        var triggerType = String(found, "type")!;
        var bindingName = String(found, "name") ?? "";
        if (!string.Equals(triggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            return new LoadedFunction(metadata.Name, functionId, metadata.EntryPoint, triggerType, bindingName, null, null, [], FunctionAuthLevel.Anonymous);
        }

        var route = String(found, "route") is { Length: > 0 } r ? r.Trim('/') : metadata.Name;
        var methods = found.TryGetProperty("methods", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Distinct().ToArray()
            : [];
        var path = routePrefix.Length == 0 ? "/" + route : "/" + routePrefix + "/" + route;
        return new LoadedFunction(metadata.Name, functionId, metadata.EntryPoint, triggerType, bindingName, route, path, methods, AuthLevel(found));
    }

    private static FunctionAuthLevel AuthLevel(JsonElement binding)
    {
        if (!binding.TryGetProperty("authLevel", out var value))
        {
            // The host's default for an HTTP trigger without authLevel.
            return FunctionAuthLevel.Function;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when Enum.IsDefined((FunctionAuthLevel)value.GetInt32()) => (FunctionAuthLevel)value.GetInt32(),
            JsonValueKind.String when Enum.TryParse<FunctionAuthLevel>(value.GetString(), ignoreCase: true, out var level) => level,
            _ => throw new FunctionsHostStandInException($"Unknown authLevel {value.GetRawText()}."),
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
