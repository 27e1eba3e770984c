using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Security;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Tests.Security;

/// <summary>The API's token buckets on a fake clock: refills, address grouping and how much state they keep.</summary>
public sealed class ApiRateLimitsTests
{
    private static ApiRateLimits Limits(FakeTimeProvider clock, int authFailuresPerMinute = 3, int perSecond = 2, int burst = 2) =>
        new(new SecurityOptions { AuthFailuresPerMinute = authFailuresPerMinute, RateLimitPerSecond = perSecond, RateLimitBurst = burst }, clock);

    [Fact]
    public void Ipv6_addresses_of_one_64_prefix_share_their_limits()
    {
        var limits = Limits(new FakeTimeProvider());

        for (var i = 1; i <= 3; i++)
        {
            Assert.Null(limits.RecordAuthFailure($"2001:db8:1:2::{i:x}"));
        }

        // Another address of the same /64 is locked out with the others; another /64 and IPv4 are not.
        Assert.NotNull(limits.RecordAuthFailure("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.NotNull(limits.AuthFailuresExhausted("2001:db8:1:2::99"));
        Assert.Null(limits.AuthFailuresExhausted("2001:db8:1:3::1"));
        Assert.Null(limits.AuthFailuresExhausted("192.0.2.1"));

        Assert.Null(limits.TryAdmit(ApiCaller.Anonymous("2001:db8:9:9::1")));
        Assert.Null(limits.TryAdmit(ApiCaller.Anonymous("2001:db8:9:9::2")));
        Assert.NotNull(limits.TryAdmit(ApiCaller.Anonymous("2001:db8:9:9:abcd::3")));
    }

    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("unknown", "unknown")]
    public void An_address_partition_is_the_ipv4_address_or_the_ipv6_64_prefix(string address, string partition) =>
        Assert.Equal(partition, ApiRateLimits.AddressPartition(address));

    [Fact]
    public void A_lockout_ends_after_its_window_and_leaves_no_state_behind()
    {
        var clock = new FakeTimeProvider();
        var limits = Limits(clock);
        for (var i = 0; i < 4; i++)
        {
            limits.RecordAuthFailure("192.0.2.1");
        }

        var wait = limits.AuthFailuresExhausted("192.0.2.1");
        Assert.NotNull(wait);
        Assert.True(wait <= TimeSpan.FromMinutes(1));

        clock.Advance(wait.Value);
        Assert.Null(limits.AuthFailuresExhausted("192.0.2.1"));
        clock.Advance(TimeSpan.FromMinutes(1));
        limits.AuthFailuresExhausted("192.0.2.1");
        Assert.Equal((0, 0), limits.TrackedPartitions);
    }

    [Fact]
    public void Per_address_state_returns_to_zero_once_the_addresses_go_quiet()
    {
        var clock = new FakeTimeProvider();
        var limits = Limits(clock);
        for (var i = 0; i < 5_000; i++)
        {
            var address = $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}";
            limits.RecordAuthFailure(address);
            limits.TryAdmit(ApiCaller.Anonymous(address));
        }

        Assert.Equal((5_000, 5_000), limits.TrackedPartitions);

        // Any later request sweeps the buckets that have refilled.
        clock.Advance(TimeSpan.FromMinutes(2));
        limits.TryAdmit(new ApiCaller("k1", ApiScope.Read, "192.0.2.9"));
        limits.AuthFailuresExhausted("192.0.2.9");
        Assert.Equal((1, 0), limits.TrackedPartitions);
        clock.Advance(TimeSpan.FromSeconds(2));
        limits.TryAdmit(ApiCaller.Anonymous("192.0.2.9"));
        Assert.Equal((1, 0), limits.TrackedPartitions);
    }

    [Fact]
    public void Per_address_state_is_bounded_while_addresses_keep_coming()
    {
        var limits = Limits(new FakeTimeProvider(), authFailuresPerMinute: 1);
        for (var i = 0; i < ClockTokenBuckets.MaxPartitions + 20_000; i++)
        {
            limits.RecordAuthFailure($"2001:db8:{i >> 16:x}:{i & 0xffff:x}::1");
        }

        Assert.InRange(limits.TrackedPartitions.AuthFailures, 1, ClockTokenBuckets.MaxPartitions);
    }

    [Fact]
    public void Requests_refill_per_second_and_report_the_wait()
    {
        var clock = new FakeTimeProvider();
        var limits = Limits(clock, perSecond: 1, burst: 2);
        var caller = new ApiCaller("k1", ApiScope.Read, "192.0.2.1");

        Assert.Null(limits.TryAdmit(caller));
        Assert.Null(limits.TryAdmit(caller));
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.FromMilliseconds(600), limits.TryAdmit(caller));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Null(limits.TryAdmit(caller));
        Assert.NotNull(limits.TryAdmit(caller));
    }
}
