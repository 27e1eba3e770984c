namespace VeloZ.SimVenue.Infrastructure;

/// <summary>The venue's clock: the injected <see cref="TimeProvider"/> plus the fault-injected skew.</summary>
internal sealed class VenueClock(TimeProvider timeProvider, SimVenueFaults faults)
{
    public TimeProvider TimeProvider { get; } = timeProvider;

    public DateTimeOffset Now => TimeProvider.GetUtcNow() + faults.ClockSkew;

    public long NowMs => Now.ToUnixTimeMilliseconds();
}
