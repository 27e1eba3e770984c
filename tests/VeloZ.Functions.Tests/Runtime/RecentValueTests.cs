using Microsoft.Extensions.Time.Testing;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Runtime;

namespace VeloZ.Functions.Tests.Runtime;

public sealed class RecentValueTests
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Source
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string Value { get; set; } = "v1";

        public TaskCompletionSource? Gate { get; set; }

        public Exception? Failure { get; set; }

        public async Task<string> ReadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return Failure is { } failure ? throw failure : Value;
        }
    }

    [Fact]
    public async Task A_fresh_value_is_reused_without_reading()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentValue<string>(RefreshAfter, MaxAge, clock);
        var source = new Source();

        Assert.Equal("v1", await recent.GetAsync(source.ReadAsync, Ct));
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal("v1", await recent.GetAsync(source.ReadAsync, Ct));

        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public async Task An_aging_value_is_served_at_once_while_one_background_read_replaces_it()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentValue<string>(RefreshAfter, MaxAge, clock);
        var source = new Source();
        await recent.GetAsync(source.ReadAsync, Ct);
        clock.Advance(TimeSpan.FromMilliseconds(700));
        source.Value = "v2";
        source.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => recent.GetAsync(source.ReadAsync, Ct)));

        Assert.All(answers, a => Assert.Equal("v1", a));
        source.Gate.SetResult();
        await WaitUntilAsync(async () => await recent.GetAsync(source.ReadAsync, Ct) == "v2");
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task A_value_past_its_age_is_read_before_answering_and_waiters_share_one_read()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentValue<string>(RefreshAfter, MaxAge, clock);
        var source = new Source();
        await recent.GetAsync(source.ReadAsync, Ct);
        clock.Advance(TimeSpan.FromSeconds(2));
        source.Value = "v2";
        source.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiting = Enumerable.Range(0, 10).Select(_ => recent.GetAsync(source.ReadAsync, Ct)).ToList();
        await Task.Delay(100, Ct);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        source.Gate.SetResult();

        Assert.All(await Task.WhenAll(waiting), a => Assert.Equal("v2", a));
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task A_failed_background_read_is_not_seen_and_an_inline_read_reports_its_failure()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentValue<string>(RefreshAfter, MaxAge, clock);
        var source = new Source();
        await recent.GetAsync(source.ReadAsync, Ct);
        clock.Advance(TimeSpan.FromMilliseconds(600));
        source.Failure = new InvalidOperationException("storage down");

        Assert.Equal("v1", await recent.GetAsync(source.ReadAsync, Ct));
        await WaitUntilAsync(() => Task.FromResult(source.Reads == 2));

        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(async () =>
        {
            try
            {
                await recent.GetAsync(source.ReadAsync, Ct);
                return false;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        });
    }

    [Fact]
    public async Task A_value_set_by_its_writer_is_used_at_once()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentValue<string>(RefreshAfter, MaxAge, clock);
        var source = new Source();
        await recent.GetAsync(source.ReadAsync, Ct);

        recent.Set("written");

        Assert.Equal("written", await recent.GetAsync(source.ReadAsync, Ct));
        Assert.Equal(1, source.Reads);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10, Ct);
        }

        Assert.Fail("The condition never held.");
    }
}
