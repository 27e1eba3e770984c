using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage.Tests;

/// <summary>How the REST writer authorizes requests: shared key, shared access signature or managed identity.</summary>
public sealed class TableAuthorizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Date = "Fri, 27 Nov 2026 10:00:00 GMT";

    private static HttpRequestMessage Request(string method, string uri, string? contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (contentType is not null)
        {
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return request;
    }

    /// <summary>Expected signatures computed independently (HMAC-SHA256 with key "key" of the documented string to sign).</summary>
    [Theory]
    [InlineData("MERGE", "https://veloz.table.core.windows.net/orders0(PartitionKey='o0',RowKey='id-1')", "application/json", "MSNp3EhE9i60H9yf0ym9L2hTtVtibAjgNCrTiy+4qCg=")]
    [InlineData("POST", "https://veloz.table.core.windows.net/$batch", "multipart/mixed; boundary=batch_1", "g0lvwT5hk/+MYjIxDAFAyLYIl3Alzkrnc/CiYfT+L7k=")]
    public async Task A_shared_key_signs_verb_content_type_date_and_the_accounts_resource(string method, string uri, string contentType, string signature)
    {
        using var request = Request(method, uri, contentType);

        await new SharedKeyAuthorization("veloz", Convert.FromBase64String("a2V5")).AuthorizeAsync(request, Date, Ct);

        Assert.Equal($"SharedKey veloz:{signature}", request.Headers.GetValues("Authorization").Single());
    }

    [Theory]
    [InlineData("https://veloz.table.core.windows.net/orders0", "?sv=2019-02-02&sig=abc", "https://veloz.table.core.windows.net/orders0?sv=2019-02-02&sig=abc")]
    [InlineData("https://veloz.table.core.windows.net/orders0?$format=json", "sv=2019-02-02&sig=abc", "https://veloz.table.core.windows.net/orders0?$format=json&sv=2019-02-02&sig=abc")]
    public async Task A_shared_access_signature_is_appended_to_the_query_and_no_authorization_header_is_sent(string uri, string sas, string expected)
    {
        using var request = Request("POST", uri, "application/json");

        await new SasAuthorization(sas).AuthorizeAsync(request, Date, Ct);

        Assert.Equal(expected, request.RequestUri!.AbsoluteUri);
        Assert.False(request.Headers.Contains("Authorization"));
    }

    [Fact]
    public async Task A_managed_identity_token_is_sent_as_bearer_fetched_once_and_again_five_minutes_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var calls = 0;
        using var authorization = new TokenAuthorization(new FuncCredential(() => new Azure.Core.AccessToken($"token-{++calls}", clock.GetUtcNow().AddHours(1))), clock);
        var seen = new List<string>();
        foreach (var advance in new[] { 0, 54, 2, 1 })
        {
            clock.Advance(TimeSpan.FromMinutes(advance));
            using var request = Request("POST", "https://veloz.table.core.windows.net/orders0", null);
            await authorization.AuthorizeAsync(request, Date, Ct);
            seen.Add(request.Headers.GetValues("Authorization").Single());
        }

        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2"], seen);
        Assert.Equal("Bearer", authorization.Scheme);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", "http://127.0.0.1:10002/devstoreaccount1/", "SharedKey")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=veloz;AccountKey=a2V5;EndpointSuffix=core.windows.net", "https://veloz.table.core.windows.net/", "SharedKey")]
    [InlineData("AccountName=veloz;AccountKey=a2V5", "https://veloz.table.core.windows.net/", "SharedKey")]
    [InlineData("TableEndpoint=https://veloz.table.core.windows.net/;SharedAccessSignature=sv=2019-02-02&sig=abc", "https://veloz.table.core.windows.net/", "SAS")]
    public void The_connection_string_gives_the_endpoint_and_how_requests_are_authorized(string connectionString, string endpoint, string authorization)
    {
        using var client = TableRowClient.Create(StorageConnection.FromOptions(new StorageOptions { StorageConnectionString = new Secret(connectionString) }), TimeSpan.FromSeconds(5));

        Assert.Equal(endpoint, client.Endpoint.AbsoluteUri);
        Assert.Equal(authorization, client.Authorization);
    }

    [Fact]
    public void A_connection_string_without_a_key_or_signature_is_refused_without_showing_it()
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => new TableStore(new StorageOptions { StorageConnectionString = new Secret("AccountName=veloz;Secretish=hunter2") }));

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FuncCredential(Func<Azure.Core.AccessToken> next) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => next();

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal(["https://storage.azure.com/.default"], requestContext.Scopes);
            return ValueTask.FromResult(next());
        }
    }
}
