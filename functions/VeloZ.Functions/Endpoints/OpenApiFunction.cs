using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>: <c>GET /openapi.json</c>, the OpenAPI 3.1 document of the API (<see cref="OpenApiDescription"/>). A function
/// like the others, so both hosts serve it from the same route table; open like <c>/health</c>: it describes the
/// public contract and holds no secret.
/// </summary>
public sealed class OpenApiFunction
{
    [Function("OpenApi")]
    public static IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "openapi.json")] HttpRequest request) =>
        ApiResults.Utf8Json(StatusCodes.Status200OK, OpenApiDescription.Utf8);
}
