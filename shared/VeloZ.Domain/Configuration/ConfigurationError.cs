namespace VeloZ.Domain.Configuration;

/// <summary>One invalid setting: the variable, what was wrong, and what would be accepted.</summary>
/// <param name="Variable">The environment variable's name, e.g. <c>VELOZ_EXECUTION_MODE</c>.</param>
/// <param name="Message">A single-line, human sentence that never contains a secret value.</param>
public sealed record ConfigurationError(string Variable, string Message)
{
    public override string ToString() => $"{Variable}: {Message}";
}

/// <summary>Thrown when the configuration is invalid; the process prints <see cref="Errors"/> and exits.</summary>
public sealed class GatewayConfigurationException : Exception
{
    public GatewayConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => $"VeloZ configuration error: {e}")))
    {
        Errors = errors;
    }

    public GatewayConfigurationException()
        : this([])
    {
    }

    public GatewayConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public GatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ConfigurationError> Errors { get; } = [];
}
