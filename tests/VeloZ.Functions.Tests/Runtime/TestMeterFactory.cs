using System.Diagnostics.Metrics;

namespace VeloZ.Functions.Tests.Runtime;

/// <summary>Meters for a test, each its own instance (what the hosts' <see cref="IMeterFactory"/> gives them).</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
