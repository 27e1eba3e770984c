using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace VeloZ.Worker.Tests.Status;

/// <summary>Listens to one meter instance, as an exporter would, and sums what its instruments recorded.</summary>
internal sealed class WorkerMetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public WorkerMetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements carrying <paramref name="tag"/> (any, when null).</summary>
    public long Sum(string instrument, (string Key, string Value)? tag = null) =>
        _measurements
            .Where(m => m.Instrument == instrument && (tag is not { } t || m.Tags.Any(x => x.Key == t.Key && Equals(x.Value, t.Value))))
            .Sum(m => m.Value);

    /// <summary>Reads the observable gauges now and returns <paramref name="instrument"/>'s latest value.</summary>
    public long Observe(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Last(m => m.Instrument == instrument).Value;
    }

    public void Dispose() => _listener.Dispose();
}
