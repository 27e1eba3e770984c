using VeloZ.Domain.Configuration;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Push;

/// <summary>
/// The <c>/api/stream</c> responses open on this API instance, per key (per client address when the caller
/// has no key): at most <c>VELOZ_STREAMS_PER_KEY</c> at once, and a way to end every stream of a key when it
/// is revoked. Invariant: a <see cref="Lease"/> is counted from <see cref="TryOpen"/> until it is disposed.
/// </summary>
public sealed class OpenStreams(ApiOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Lease>> _byOwner = new(StringComparer.Ordinal);

    /// <summary>How many streams are open on this instance.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byOwner.Values.Sum(l => l.Count);
            }
        }
    }

    /// <summary>The key ids that hold at least one stream (callers without a key are not listed).</summary>
    public IReadOnlyList<string> KeyIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _byOwner.Keys.Where(k => !k.StartsWith(AddressPrefix, StringComparison.Ordinal))];
            }
        }
    }

    private const string AddressPrefix = "ip:";

    /// <summary>A lease for one more stream of the caller, or null when the caller already holds as many as allowed.</summary>
    public Lease? TryOpen(ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var owner = caller.IsAnonymous ? AddressPrefix + ApiRateLimits.AddressPartition(caller.RemoteIp) : caller.KeyId;
        lock (_gate)
        {
            if (!_byOwner.TryGetValue(owner, out var leases))
            {
                leases = [];
                _byOwner[owner] = leases;
            }

            if (leases.Count >= options.StreamsPerKey)
            {
                return null;
            }

            var lease = new Lease(this, owner);
            leases.Add(lease);
            return lease;
        }
    }

    /// <summary>Ends every open stream of a key (revoked); returns how many there were.</summary>
    public int End(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        List<Lease> ending;
        lock (_gate)
        {
            ending = _byOwner.TryGetValue(keyId, out var leases) ? [.. leases] : [];
        }

        foreach (var lease in ending)
        {
            lease.End();
        }

        return ending.Count;
    }

    private void Release(Lease lease)
    {
        lock (_gate)
        {
            if (_byOwner.TryGetValue(lease.Owner, out var leases) && leases.Remove(lease) && leases.Count == 0)
            {
                _byOwner.Remove(lease.Owner);
            }
        }
    }

    /// <summary>One open stream: <see cref="Ended"/> fires when its key is revoked; disposing it frees the place.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly OpenStreams _owner;
        private readonly CancellationTokenSource _ended = new();
        private int _disposed;

        internal Lease(OpenStreams owner, string ownerId)
        {
            _owner = owner;
            Owner = ownerId;
        }

        internal string Owner { get; }

        public CancellationToken Ended => _ended.Token;

        internal void End()
        {
            try
            {
                _ended.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile.
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Release(this);
                _ended.Dispose();
            }
        }
    }
}
