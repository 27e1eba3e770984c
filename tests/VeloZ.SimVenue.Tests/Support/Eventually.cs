namespace VeloZ.SimVenue.Tests.Support;

/// <summary>Polls a condition that background work on the venue will make true (after a fake-clock advance).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time.");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
