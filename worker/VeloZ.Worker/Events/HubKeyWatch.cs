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
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan ApiKeyLookupMaxAge = TimeSpan.FromSeconds(4);

    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    /// <summary>Whether the key a token names may hold a connection (true for names that are not stored keys).</summary>
    public async Task<bool> IsActiveAsync(string? userId, CancellationToken cancellationToken)
    {
        if (userId is null || !IsStoredKeyId(userId))
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var open = connections.UserIds;
        foreach (var stale in _cache.Keys.Except(open, StringComparer.Ordinal))
        {
            _cache.TryRemove(stale, out _);
        }

        foreach (var userId in open)
        {
            try
            {
                if (!await IsActiveAsync(userId, cancellationToken))
                {
                    LogClosed(logger, userId, connections.Close(userId));
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogCheckFailed(logger, userId, ex.Message);
            }
        }
    }

    /// <summary>Stored API keys have a 16-hex-digit id (<c>vz_&lt;id&gt;_&lt;secret&gt;</c>).</summary>
    private static bool IsStoredKeyId(string userId) => userId.Length == 16 && userId.All(char.IsAsciiHexDigitLower);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyId} is no longer valid: {Count} hub connection(s) closed")]
    private static partial void LogClosed(ILogger logger, string keyId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check key {KeyId} of hub connections: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string keyId, string reason);
}
