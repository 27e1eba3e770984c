using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Tests.Hosting;

/// <summary>The worker middleware that runs the API pipeline under the Azure Functions host.</summary>
public sealed class FunctionsHostPipelineTests
{
    private const string AdminKey = "functions-host-admin-key-0123456789";

    private static (FunctionsHostPipelineMiddleware Middleware, ServiceProvider Services) Middleware()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVelozApi(new GatewayOptions { Security = new() { AdminApiKey = new Secret(AdminKey) } }, ApiBinding.FunctionsHost);
        var provider = services.BuildServiceProvider();
        var middleware = new FunctionsHostPipelineMiddleware(provider.GetRequiredService<ApiPipeline>(), provider.GetRequiredService<FunctionRouteIndex>(), NullLogger<FunctionsHostPipelineMiddleware>.Instance);
        return (middleware, provider);
    }

    private static DefaultHttpContext Request(string path, string? key = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Path = path;
        http.Request.Host = new HostString("localhost", 7071);
        http.Response.Body = new MemoryStream();
        if (key is not null)
        {
            http.Request.Headers["X-API-Key"] = key;
        }

        return http;
    }

    private static string Body(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return new StreamReader(http.Response.Body).ReadToEnd();
    }

    [Fact]
    public async Task A_function_missing_from_the_route_table_is_refused_and_never_runs()
    {
        var (middleware, services) = Middleware();
        await using var _ = services;
        var http = Request("/api/unlisted", key: AdminKey);
        var ran = false;

        await middleware.Invoke(new TestFunctionContext("NotInTheRouteTable", http), _ => { ran = true; return Task.CompletedTask; });

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        using var body = JsonDocument.Parse(Body(http));
        Assert.Equal(ApiErrors.InternalError, body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_listed_function_needs_its_key_before_it_runs()
    {
        var (middleware, services) = Middleware();
        await using var _ = services;
        var name = services.GetRequiredService<FunctionRouteIndex>().All.Single(r => r.Route == "api/config").Name;
        var anonymous = Request("/api/config");
        var admin = Request("/api/config", key: AdminKey);
        var runs = 0;

        await middleware.Invoke(new TestFunctionContext(name, anonymous), _ => { runs++; return Task.CompletedTask; });
        await middleware.Invoke(new TestFunctionContext(name, admin), _ => { runs++; return Task.CompletedTask; });

        Assert.Equal(StatusCodes.Status401Unauthorized, anonymous.Response.StatusCode);
        Assert.Equal(1, runs);
    }

    /// <summary>
    /// An invocation as the Functions worker presents it to middleware: its function's name and, as the
    /// ASP.NET Core integration does, the request's HttpContext under <c>Items["HttpRequestContext"]</c>.
    /// </summary>
    private sealed class TestFunctionContext(string functionName, HttpContext http) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();

        public override string FunctionId => functionName;

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();

        public override FunctionDefinition FunctionDefinition { get; } = new TestFunctionDefinition(functionName);

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { ["HttpRequestContext"] = http };

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class TestFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(ApiProgram).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
