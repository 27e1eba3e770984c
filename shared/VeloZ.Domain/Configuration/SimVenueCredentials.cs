namespace VeloZ.Domain.Configuration;

/// <summary>
/// The test-only key pair with which VeloZ trades on its own simulated venue in <c>sim_engine</c> mode.
/// Public by design (docs/sim-venue.md): it opens nothing but the simulator on a loopback port.
/// The simulated venue accepts the same pair (a test keeps the two in step).
/// </summary>
public static class SimVenueCredentials
{
    public static Secret ApiKey { get; } = new("VeloZSimVenueTestOnlyApiKey0000000000000000000000000000000000000");

    public static Secret ApiSecret { get; } = new("VeloZSimVenueTestOnlySecretKey0000000000000000000000000000000000");
}
