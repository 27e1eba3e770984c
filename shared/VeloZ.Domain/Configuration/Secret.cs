namespace VeloZ.Domain.Configuration;

/// <summary>
/// A credential or key-bearing connection string. Its <see cref="ToString"/> never shows the value, so a
/// secret that slips into a log template, an exception message or a serialized object stays hidden;
/// code that needs the value asks for it explicitly with <see cref="Reveal"/>.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;

    public Secret(string value) => _value = value ?? string.Empty;

    /// <summary>The empty secret (not configured).</summary>
    public static Secret Empty { get; } = new(string.Empty);

    public bool IsEmpty => _value.Length == 0;

    /// <summary>The raw value, for the one place that must send it (signing, connecting).</summary>
    public string Reveal() => _value;

    public override string ToString() => IsEmpty ? "(empty)" : "***";

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
