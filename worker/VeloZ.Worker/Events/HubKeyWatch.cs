using System.Collections.Concurrent;
using VeloZ.Storage;

namespace VeloZ.Worker.Events;

/// <summary>
/// Closes hub connections whose API key has been revoked. Tokens from negotiate name the key id they were
/// issued to (<c>nameid</c>); every <see cref="Interval"/> the key of each open connection is looked up (a
/// lookup is reused for at most <see cref="ApiKeyLookupMaxAge"/>), so a revoked key's connections close within
/// 5 s — the API's own key cache period. Names that are not stored keys (the bootstrap admin key, the API's own
/// subscription, callers without authentication) are not looked up. While storage is unreachable connections
/// stay open: nothing new is known about their keys.
/// </summary>
internal sealed partial class HubKeyWatch(HubConnections connections, ApiKeyRepository repository, TimeProvider clock, ILogger<HubKeyWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = RevokedKeySweep.Interval;

    public static readonly TimeSpan ApiKeyLookupMaxAge = TimeSpan.FromSeconds(4);

    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    /// <summary>Whether the key a token names may hold a connection (true for names that are not stored keys).</summary>
    public async Task<bool> IsActiveAsync(string? userId, CancellationToken cancellationToken)
    {
        if (userId is null || !ApiKeyRepository.IsKeyId(userId))
        {
            return true;
        }

        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && now - cached.At < ApiKeyLookupMaxAge)
        {
            return cached.Active;
        }

        var active = await repository.GetAsync(userId, cancellationToken) is { IsRevoked: false };
        _cache[userId] = (active, now);
        return active;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RevokedKeySweep.RunAsync(
            () => connections.UserIds,
            IsActiveAsync,
            userId => LogClosed(logger, userId, connections.Close(userId)),
            (userId, reason) => LogCheckFailed(logger, userId, reason),
            clock,
            stoppingToken,
            // Forget lookups of keys that no longer hold a connection.
            open =>
            {
                foreach (var stale in _cache.Keys.Except(open, StringComparer.Ordinal))
                {
                    _cache.TryRemove(stale, out _);
                }
            });

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyId} is no longer valid: {Count} hub connection(s) closed")]
    private static partial void LogClosed(ILogger logger, string keyId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check key {KeyId} of hub connections: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string keyId, string reason);
}
