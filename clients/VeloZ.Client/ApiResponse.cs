using System.Net;

namespace VeloZ.Client;

/// <summary>
/// One answer of the API: its status, the typed body of a success (<see cref="Value"/>) or the contract's error body
/// (<see cref="Error"/>), and the body as sent (<see cref="Json"/>), for a caller that checks it to the byte.
/// </summary>
public sealed record ApiResponse<T>(HttpStatusCode Status, T? Value, ApiError? Error, string Json)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300 && Value is not null;

    /// <summary>The success body, or <see cref="VeloZApiException"/> naming the error.</summary>
    public T EnsureSuccess() => IsSuccess ? Value! : throw new VeloZApiException(Status, Error, Json);
}

/// <summary>An answer that was not a success: its status, the contract's <c>error</c> code and <c>message</c>.</summary>
public sealed class VeloZApiException : Exception
{
    public VeloZApiException(HttpStatusCode status, ApiError? error, string json)
        : base($"VeloZ answered {(int)status} {error?.Error ?? "(no error code)"}: {error?.Message ?? json}")
    {
        Status = status;
        Error = error;
    }

    public VeloZApiException()
    {
    }

    public VeloZApiException(string message)
        : base(message)
    {
    }

    public VeloZApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    public ApiError? Error { get; }
}
