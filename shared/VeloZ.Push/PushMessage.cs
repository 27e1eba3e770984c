namespace VeloZ.Push;

/// <summary>One hub message.</summary>
/// <param name="Target">The hub method the clients listen to: the event type (<c>market</c>, <c>order_update</c>, ...).</param>
/// <param name="ArgumentJson">The UTF-8 JSON object that is the message's single argument, sent byte for byte.</param>
public sealed record PushMessage(string Target, ReadOnlyMemory<byte> ArgumentJson);
