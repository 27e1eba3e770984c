using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Functions;

/// <summary>
/// <c>GET /api/config</c>: the effective configuration in the original gateway's shape. Built field by
/// field from <see cref="GatewayOptions"/>, so no key, secret or connection string can appear in it.
/// </summary>
public sealed class ConfigFunction(GatewayOptions options, WorkerStatusView workerStatus)
{
    [Function("Config")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/config")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        bool userStreamConnected;
        try
        {
            userStreamConnected = (await workerStatus.ReadAsync(cancellationToken)).UserStreamConnected;
        }
        catch (StorageUnavailableException)
        {
            // Without the status row nobody can claim the stream is connected.
            userStreamConnected = false;
        }

        var body = new ConfigResponse(
            options.MarketSource.ToWire(),
            options.MarketSymbol,
            options.UsesBinanceMarketData ? options.BinanceBaseUrl.AbsoluteUri.TrimEnd('/') : null,
            options.ExecutionMode.ToWire(),
            options.BinanceCredentialsPresent,
            options.UsesBinanceExecution ? options.BinanceTradeBaseUrl.AbsoluteUri.TrimEnd('/') : null,
            userStreamConnected);
        return ApiResults.Ok(body, ApiJsonContext.Default.ConfigResponse);
    }
}
