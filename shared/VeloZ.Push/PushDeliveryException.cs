namespace VeloZ.Push;

/// <summary>
/// A push message could not be delivered: the service refused it, or it still failed after the allowed retries.
/// The messages of the same call before it were delivered (<see cref="DeliveredCount"/>); it and those after it were not
/// sent (or not accepted), so the caller can publish them again. The message never contains a token or a key.
/// </summary>
public sealed class PushDeliveryException : Exception
{
    public PushDeliveryException()
        : base("A push message could not be delivered.")
    {
    }

    public PushDeliveryException(string message)
        : base(message)
    {
    }

    public PushDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The hub method (event type) of the message that failed.</summary>
    public string? Target { get; init; }

    /// <summary>How many messages of the call were delivered before this one.</summary>
    public int DeliveredCount { get; init; }

    /// <summary>How many times the failed message was tried.</summary>
    public int Attempts { get; init; }

    /// <summary>The last HTTP status, when there was an answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The service's error code, when it sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>True when the failure was transient (retries exhausted), false when the service refused the message.</summary>
    public bool IsTransient { get; init; }
}
