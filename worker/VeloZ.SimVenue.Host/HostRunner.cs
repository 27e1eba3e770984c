using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace VeloZ.SimVenue.Host;

/// <summary>Starts the venue from flags/environment, prints its URLs, and stops it on Ctrl-C or SIGTERM.</summary>
internal static class HostRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("VeloZ simulated Binance venue. Flags (or VELOZ_SIM_<FLAG> environment variables):");
            foreach (var (flag, help) in HostSettings.Flags)
            {
                Console.WriteLine($"  --{flag,-18} {help}");
            }

            return 0;
        }

        HostSettings settings;
        try
        {
            settings = HostSettings.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 2;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        SimVenueHandle venue;
        try
        {
            venue = await SimVenueServer.StartAsync(settings.CreateOptions(loggerFactory));
        }
        catch (Exception exception) when (exception is ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"The simulated venue did not start: {exception.Message}");
            return 1;
        }

        await using (venue)
        {
            venue.Faults.OrderFaultRate = settings.OrderFaultRate;
            venue.Faults.OrderFaultKind = settings.OrderFaultKind;
            venue.Faults.MessageDelay = settings.MessageDelay;
            venue.Faults.ClockSkew = settings.ClockSkew;

            Console.WriteLine("VeloZ simulated venue (test-only keys, see docs/sim-venue.md)");
            Console.WriteLine($"REST: {venue.RestBaseUri.GetLeftPart(UriPartial.Authority)}");
            Console.WriteLine($"Streams: {venue.StreamBaseUri.GetLeftPart(UriPartial.Authority)}");
            Console.WriteLine($"WebSocket API: {venue.WebSocketApiUri}");
            Console.WriteLine("Press Ctrl-C to stop.");

            using var done = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                done.Cancel();
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                done.Cancel();
            });
            try
            {
                await Task.Delay(Timeout.Infinite, done.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping.");
            }
        }

        return 0;
    }
}
