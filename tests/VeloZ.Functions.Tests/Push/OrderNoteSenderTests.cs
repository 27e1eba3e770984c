using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Push;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Push;

public sealed class OrderNoteSenderTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Steady_order_flow_is_noted_in_few_messages_and_no_order_is_left_out()
    {
        var options = new GatewayOptions { Storage = new() { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() } };
        var notes = new OrderNotes(options.Storage, StorageConnection.FromOptions(options.Storage));
        await notes.EnsureCreatedAsync(Ct);
        var sender = new OrderNoteSender(notes, TimeProvider.System, NullLogger<OrderNoteSender>.Instance);
        await sender.StartAsync(Ct);
        var posted = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // An order every 2 ms for 0.5 s: one note each would be 250 queue messages.
            for (var i = 0; clock.Elapsed < TimeSpan.FromMilliseconds(500); i++)
            {
                posted.Add($"flow-{i}");
                sender.Post($"flow-{i}");
                await Task.Delay(2, Ct);
            }

            var postedFor = clock.Elapsed;
            var received = new HashSet<string>(StringComparer.Ordinal);
            var messages = 0;
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!posted.All(received.Contains) && DateTime.UtcNow < deadline)
            {
                foreach (var (messageId, popReceipt, ids) in await notes.ReceiveAsync(TimeSpan.FromSeconds(30), Ct))
                {
                    messages++;
                    received.UnionWith(ids);
                    await notes.DeleteAsync(messageId, popReceipt, Ct);
                }
            }

            Assert.All(posted, id => Assert.Contains(id, received));
            var allowed = (int)(postedFor / OrderNoteSender.MinInterval) + 3;
            Assert.True(messages <= allowed, $"{messages} messages for {posted.Count} orders in {postedFor.TotalMilliseconds:0} ms; at most {allowed} expected.");
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }
}
