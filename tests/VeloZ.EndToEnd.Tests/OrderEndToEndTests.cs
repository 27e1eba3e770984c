namespace VeloZ.EndToEnd.Tests;

/// <summary>The walkthrough in <c>sim_engine</c> mode: the venue runs inside the worker process.</summary>
[Collection(GatewayGroup.Name)]
public sealed class SimEngineOrderEndToEndTests(GatewayFixture gateway)
{
    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_seed_walkthrough_passes_field_by_field(string host) =>
        await OrderWalkthrough.RunAsync(gateway.Api(host), $"walk-{host}");
}
