using System.Collections.Concurrent;
using System.Diagnostics;
using VeloZ.Domain.Events;
using VeloZ.Domain.Market;
using VeloZ.Hosting;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Tests.Status;

/// <summary>
/// The worker's spans as a listener records them: a report names its order, a published batch names every order
/// it tells about (one span event each), and a batch of market ticks only is not traced.
/// </summary>
public sealed class WorkerTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public WorkerTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void An_execution_report_span_names_its_order_status_and_execution_type()
    {
        var id = NewId();
        using (WorkerTracing.StartExecutionReport(id, "FILLED", "TRADE"))
        {
        }

        var span = Assert.Single(_stopped, s => Tag(s, VelozTelemetry.ClientOrderId) == id);
        Assert.Equal("veloz.user_stream.execution_report", span.OperationName);
        Assert.Equal("FILLED", Tag(span, "veloz.order_status"));
        Assert.Equal("TRADE", Tag(span, "veloz.execution_type"));
    }

    [Fact]
    public void A_published_batch_names_each_order_it_tells_about()
    {
        var (a, b) = (NewId(), NewId());
        GatewayEvent[] batch =
        [
            Market(40),
            new(41, EventTypes.OrderUpdate, 1, "{}", a, "ACCEPTED"),
            new(42, EventTypes.Fill, 1, "{}", a, TradeId: 7),
            new(43, EventTypes.OrderUpdate, 1, "{}", b, "CANCELLED"),
        ];
        using (WorkerTracing.StartPublish(batch))
        {
        }

        var span = Assert.Single(_stopped, s => s.OperationName == "veloz.events.publish" && s.Events.Any(e => Tag(e, VelozTelemetry.ClientOrderId) == a));
        Assert.Equal($"{a},{b}", Tag(span, VelozTelemetry.ClientOrderId));
        Assert.Equal(4, span.GetTagItem("veloz.event.count"));
        Assert.Equal(40L, span.GetTagItem("veloz.event.first_id"));
        Assert.Equal(
            [$"41 order_update {a}", $"42 fill {a}", $"43 order_update {b}"],
            span.Events.Select(e => $"{Tag(e, "veloz.event.id")} {Tag(e, "veloz.event.type")} {Tag(e, VelozTelemetry.ClientOrderId)}"));
    }

    [Fact]
    public void A_batch_of_one_order_names_it_alone_and_a_batch_of_market_ticks_is_not_traced()
    {
        var id = NewId();
        using (WorkerTracing.StartPublish([new GatewayEvent(50, EventTypes.OrderUpdate, 1, "{}", id, "FILLED")]))
        {
        }

        Assert.Null(WorkerTracing.StartPublish([Market(51), Market(52)]));
        Assert.Single(_stopped, s => Tag(s, VelozTelemetry.ClientOrderId) == id);
    }

    public void Dispose() => _listener.Dispose();

    private static string NewId() => "tr-" + Guid.NewGuid().ToString("N")[..10];

    private static GatewayEvent Market(long id) =>
        EventPayloads.Market(new MarketTick("BTCUSDT", 40000m, 1, 1)) with { Id = id };

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static string? Tag(ActivityEvent e, string name) => e.Tags.FirstOrDefault(t => t.Key == name).Value?.ToString();
}
