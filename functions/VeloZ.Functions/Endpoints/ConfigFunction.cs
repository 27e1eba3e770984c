using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Security;
using VeloZ.Functions.Http;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/config</c>: the effective configuration in the original gateway's shape. Built field by
/// field from <see cref="GatewayOptions"/>, so no key, secret or connection string can appear in it.
/// <b>New</b>: <c>trading_mode</c> (<c>normal</c> or <c>cancel_only</c>; null while storage is unreachable), and
/// <c>market_symbols</c> when more than one symbol is followed.
/// </summary>
public sealed class ConfigFunction(GatewayOptions options, WorkerStatusView workerStatus, TradingModeService tradingMode)
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

        string? mode;
        try
        {
            mode = (await tradingMode.ReadAsync(cancellationToken)).Mode.ToWire();
        }
        catch (StorageUnavailableException)
        {
            // Unknown while storage is down (orders are refused then anyway: they need storage).
            mode = null;
        }

        var body = new ConfigResponse(
            options.Market.MarketSource.ToWire(),
            options.Market.MarketSymbol,
            options.Market.UsesBinanceMarketData ? options.Market.BinanceBaseUrl.AbsoluteUri.TrimEnd('/') : null,
            options.Venue.ExecutionMode.ToWire(),
            options.Venue.BinanceCredentialsPresent,
            options.Venue.UsesBinanceExecution ? options.Venue.BinanceTradeBaseUrl.AbsoluteUri.TrimEnd('/') : null,
            userStreamConnected,
            mode,
            options.Market.MarketSymbols.Count > 1 ? options.Market.MarketSymbols : null);
        return ApiResults.Ok(body, ApiJsonContext.Default.ConfigResponse);
    }
}
