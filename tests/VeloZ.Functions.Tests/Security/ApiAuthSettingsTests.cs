using VeloZ.Domain.Configuration;
using VeloZ.Domain.Security;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Tests.Security;

public sealed class ApiAuthSettingsTests
{
    [Theory]
    [InlineData("127.0.0.1", null, ApiHostKind.Standalone, false)]
    [InlineData("127.0.0.5", null, ApiHostKind.Standalone, false)]
    [InlineData("::1", null, ApiHostKind.Standalone, false)]
    [InlineData("localhost", null, ApiHostKind.Standalone, false)]
    [InlineData("LOCALHOST", null, ApiHostKind.Standalone, false)]
    [InlineData("0.0.0.0", null, ApiHostKind.Standalone, true)]
    [InlineData("::", null, ApiHostKind.Standalone, true)]
    [InlineData("192.168.1.20", null, ApiHostKind.Standalone, true)]
    [InlineData("127.0.0.1", null, ApiHostKind.FunctionsHost, true)]
    [InlineData("127.0.0.1", false, ApiHostKind.Standalone, false)]
    [InlineData("127.0.0.1", false, ApiHostKind.FunctionsHost, false)]
    [InlineData("127.0.0.1", true, ApiHostKind.Standalone, true)]
    [InlineData("0.0.0.0", true, ApiHostKind.Standalone, true)]
    public void Auth_is_on_unless_a_standalone_api_listens_on_loopback_or_it_is_turned_off(string host, bool? setting, ApiHostKind kind, bool expected)
    {
        var options = new GatewayOptions { Api = new() { Host = host }, Security = new() { AuthEnabled = setting } };
        var auth = ApiAuthSettings.Resolve(options, kind == ApiHostKind.Standalone ? ApiBinding.Standalone(options.Api) : ApiBinding.FunctionsHost);

        Assert.Equal(expected, auth.Enabled);
        Assert.Equal(setting == false, auth.ExplicitlyDisabled);
        Assert.False(string.IsNullOrWhiteSpace(auth.Reason));
    }

    [Theory]
    [InlineData("health", null, false)]
    [InlineData("health/live", null, false)]
    [InlineData("health/ready", null, false)]
    [InlineData("openapi.json", null, false)]
    [InlineData("dashboard/{*file}", null, false)]
    [InlineData("api/config", ApiScope.Read, false)]
    [InlineData("api/market", ApiScope.Read, false)]
    [InlineData("api/orders", ApiScope.Read, false)]
    [InlineData("api/orders_state", ApiScope.Read, false)]
    [InlineData("api/order_state", ApiScope.Read, false)]
    [InlineData("api/fills", ApiScope.Read, false)]
    [InlineData("api/account", ApiScope.Read, false)]
    [InlineData("api/execution/ping", ApiScope.Read, false)]
    [InlineData("api/stream", ApiScope.Read, true)]
    [InlineData("api/negotiate", ApiScope.Read, false)]
    [InlineData("api/order", ApiScope.Trade, false)]
    [InlineData("API/Order/", ApiScope.Trade, false)]
    [InlineData("api/cancel", ApiScope.Trade, false)]
    [InlineData("api/admin/keys", ApiScope.Admin, false)]
    [InlineData("api/admin/keys/revoke", ApiScope.Admin, false)]
    [InlineData("api/admin/trading_mode", ApiScope.Admin, false)]
    [InlineData("api/admin/cancel_all", ApiScope.Admin, false)]
    [InlineData("api/something_new", ApiScope.Read, false)]
    public void Each_route_needs_its_scope_and_unknown_routes_need_read(string route, ApiScope? scope, bool queryToken)
    {
        var policy = RoutePolicy.For(route);

        Assert.Equal(scope, policy.Required);
        Assert.Equal(queryToken, policy.QueryTokenAllowed);
    }

    [Theory]
    [InlineData(ApiScope.Read, ApiScope.Read, true)]
    [InlineData(ApiScope.Read, ApiScope.Trade, false)]
    [InlineData(ApiScope.Read, ApiScope.Admin, false)]
    [InlineData(ApiScope.Trade, ApiScope.Read, true)]
    [InlineData(ApiScope.Trade, ApiScope.Trade, true)]
    [InlineData(ApiScope.Trade, ApiScope.Admin, false)]
    [InlineData(ApiScope.Admin, ApiScope.Read, true)]
    [InlineData(ApiScope.Admin, ApiScope.Trade, true)]
    [InlineData(ApiScope.Admin, ApiScope.Admin, true)]
    public void Trade_implies_read_and_admin_implies_all(ApiScope granted, ApiScope required, bool allowed) =>
        Assert.Equal(allowed, granted.Allows(required));

    [Fact]
    public void Generated_keys_carry_their_id_and_are_never_alike()
    {
        var (id, key) = ApiKeyFormat.New();
        var (otherId, other) = ApiKeyFormat.New();

        Assert.Matches("^vz_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", key);
        Assert.True(ApiKeyFormat.TryGetKeyId(key, out var parsed));
        Assert.Equal(id, parsed);
        Assert.NotEqual(id, otherId);
        Assert.NotEqual(key, other);
        Assert.False(ApiKeyFormat.TryGetKeyId("vz_" + id + "_short", out _));
        Assert.False(ApiKeyFormat.TryGetKeyId(key.Replace("vz_", "xx_", StringComparison.Ordinal), out _));
    }
}
