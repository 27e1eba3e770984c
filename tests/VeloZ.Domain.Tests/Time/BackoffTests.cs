using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Time;

namespace VeloZ.Domain.Tests.Time;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 0.0, 100)]
    [InlineData(0, 1.0, 200)]
    [InlineData(0, 0.5, 150)]
    [InlineData(1, 0.0, 200)]
    [InlineData(1, 1.0, 400)]
    [InlineData(3, 1.0, 1600)]
    [InlineData(5, 1.0, 5000)]
    [InlineData(5, 0.0, 2500)]
    [InlineData(1000, 1.0, 5000)]
    [InlineData(-3, 1.0, 200)]
    [InlineData(2, 7.0, 800)]
    [InlineData(2, -1.0, 400)]
    public void Delay_doubles_per_attempt_with_equal_jitter_up_to_the_cap(int attempt, double unitRandom, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(attempt, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), unitRandom));

    [Fact]
    public void Delay_never_shrinks_from_one_attempt_to_the_next_before_the_cap_whatever_the_jitter()
    {
        // 250 ms doubled: 500, 1000, 2000, 4000 ms stay below the 5 s cap.
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var worstNext = Backoff.Delay(attempt + 1, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), 0);
            var bestThis = Backoff.Delay(attempt, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), 1);
            Assert.True(worstNext >= bestThis, $"attempt {attempt}: {worstNext} < {bestThis}");
        }
    }

    [Fact]
    public void Jittered_delay_stays_between_half_the_step_and_the_step()
    {
        for (var i = 0; i < 200; i++)
        {
            var delay = Backoff.JitteredDelay(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
            Assert.InRange(delay, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        }
    }

    [Fact]
    public async Task Retry_waits_on_the_injected_clock_between_transient_failures_and_returns_the_answer()
    {
        var clock = new FakeTimeProvider();
        var heard = new List<(int Attempt, string Reason)>();
        var calls = 0;
        var retrying = Backoff.RetryAsync(
            attempt =>
            {
                calls++;
                return attempt < 3 ? throw new TimeoutException($"down {attempt}") : Task.FromResult(attempt * 10);
            },
            ex => ex is TimeoutException,
            (attempt, ex) => heard.Add((attempt, ex.Message)),
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(1),
            clock,
            CancellationToken.None);

        Assert.Equal(1, calls);
        Assert.False(retrying.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, calls);
        Assert.False(retrying.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal(30, await retrying);
        Assert.Equal([(1, "down 1"), (2, "down 2")], heard);
    }

    [Fact]
    public async Task Retry_lets_other_failures_through_at_once()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Backoff.RetryAsync<int>(
            _ =>
            {
                attempts++;
                throw new InvalidOperationException("refused");
            },
            ex => ex is TimeoutException,
            (_, _) => Assert.Fail("not a transient failure"),
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(1),
            new FakeTimeProvider(),
            CancellationToken.None));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Retry_ends_when_cancelled_while_waiting()
    {
        using var stop = new CancellationTokenSource();
        var retrying = Backoff.RetryAsync<int>(
            _ => throw new TimeoutException("down"),
            ex => ex is TimeoutException,
            (_, _) => { },
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1),
            new FakeTimeProvider(),
            stop.Token);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retrying);
    }
}
