using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Push;

/// <summary>
/// Ends the open <c>/api/stream</c> responses of keys revoked elsewhere (on another API instance, or straight
/// in storage): every <see cref="Interval"/> it looks up each key that holds a stream here, through the key
/// cache with a maximum age of <see cref="ApiKeyService.CacheFor"/> less the interval, so a revoked key's
/// streams end within <see cref="ApiKeyService.CacheFor"/>. (A revocation made on this instance ends them at once.)
/// While storage is unreachable the streams are left open: nothing new can be learnt about the key.
/// </summary>
public sealed partial class StreamKeyWatch(OpenStreams streams, ApiKeyService keys, TimeProvider clock, ILogger<StreamKeyWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = RevokedKeySweep.Interval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RevokedKeySweep.RunAsync(
            () => streams.KeyIds,
            (keyId, ct) => keys.IsActiveAsync(keyId, ApiKeyService.CacheFor - Interval, ct),
            keyId => LogEnded(logger, keyId, streams.End(keyId)),
            (keyId, reason) => LogCheckFailed(logger, keyId, reason),
            clock,
            stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyId} is no longer valid: {Count} open stream(s) ended")]
    private static partial void LogEnded(ILogger logger, string keyId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check key {KeyId} of open streams: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string keyId, string reason);
}
