using Azure;

namespace VeloZ.Storage;

/// <summary>
/// The version of a stored row as storage last answered it (its ETag), opaque to callers: a conditional change
/// names the version it was computed from and fails if the row has moved on. Callers outside storage never
/// see the storage SDK's types.
/// </summary>
public readonly record struct RowVersion
{
    private readonly string? _value;

    internal RowVersion(string value) => _value = value;

    /// <summary>The ETag text, as storage gave it.</summary>
    internal string Value => _value ?? string.Empty;

    internal static RowVersion Of(ETag etag) => new(etag.ToString());

    /// <summary>The ETag text (for logs and tests; never parsed by callers).</summary>
    public override string ToString() => Value;
}
