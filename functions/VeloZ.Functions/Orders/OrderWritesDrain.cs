using Microsoft.Extensions.Hosting;
using VeloZ.Storage;

namespace VeloZ.Functions.Orders;

/// <summary>
/// At shutdown, waits (up to the host's shutdown timeout) for the venue answers still being stored behind
/// answered orders, so a clean stop leaves no order row PENDING that the venue has already answered.
/// Registered after the note sender, so it stops first and the notes of those writes still go out.
/// </summary>
public sealed class OrderWritesDrain(OrderRepository orders) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await orders.WhenWritesBehindDoneAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of shutdown time: what is left stays PENDING and reconciliation settles it.
        }
    }
}
