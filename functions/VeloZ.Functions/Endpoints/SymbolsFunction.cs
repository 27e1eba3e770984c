using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Binance.Filters;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Numerics;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>, scope <c>read</c>. <c>GET /api/symbols</c>: the exchange rules VeloZ checks an order against before it
/// leaves (status, <c>PRICE_FILTER</c>, <c>LOT_SIZE</c>, <c>NOTIONAL</c>/<c>MIN_NOTIONAL</c>), from the trading venue's
/// exchangeInfo as the order path caches it: of the configured market symbol, or of <c>?symbol=</c> (any symbol the
/// venue lists). A symbol the venue does not list is 400 <c>venue_rejected</c> on the field <c>symbol</c>, as for an
/// order; no venue is answered as for an order too.
/// </summary>
public sealed class SymbolsFunction(OrderService orders, MarketOptions market)
{
    [Function("Symbols")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/symbols")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (symbol, refusal) = SymbolQuery.Read(request.Query["symbol"], market.MarketSymbol);
        if (refusal is not null)
        {
            return refusal;
        }

        var (rules, refused) = await orders.RulesAsync(symbol!, cancellationToken);
        return rules is null
            ? OrderAnswers.ToHttp(refused!)
            : ApiResults.Ok(new SymbolsResponse([View(rules)]), ApiJsonContext.Default.SymbolsResponse);
    }

    private static SymbolRulesResponse View(SymbolRules rules) => new(
        rules.Symbol,
        rules.Status,
        rules.BaseAsset,
        rules.QuoteAsset,
        rules.PriceFilter is { } p ? new PriceFilterResponse(DecimalText.Trim(p.MinPrice), DecimalText.Trim(p.MaxPrice), DecimalText.Trim(p.TickSize)) : null,
        rules.LotSize is { } l ? new LotSizeResponse(DecimalText.Trim(l.MinQty), DecimalText.Trim(l.MaxQty), DecimalText.Trim(l.StepSize)) : null,
        rules.Notional is { } n ? new NotionalResponse(n.FilterType, DecimalText.Trim(n.MinNotional), DecimalText.Trim(n.MaxNotional)) : null);
}
