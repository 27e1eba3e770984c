namespace VeloZ.Functions.Http;

/// <summary>A rejected field: the contract's <c>bad_params</c> with the field and a human message.</summary>
internal sealed record FieldError(string Field, string Message);
