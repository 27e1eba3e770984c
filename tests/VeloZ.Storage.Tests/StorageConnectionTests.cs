using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;

namespace VeloZ.Storage.Tests;

/// <summary>
/// Connection string or managed identity: which one VeloZ picks, and which endpoint and credential the
/// Table client gets. Nothing here talks to Azure (creating a client sends nothing).
/// </summary>
public sealed class StorageConnectionTests
{
    private const string ClientId = "3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b";

    /// <summary>Configuration as the process sees it: environment variables <c>A__b</c> arrive as <c>A:b</c>.</summary>
    private static StorageOptions Load(params (string Variable, string Value)[] variables) =>
        GatewayOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Variable.Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build()).Storage;

    [Fact]
    public void Without_settings_the_development_storage_connection_string_is_used()
    {
        var connection = StorageConnection.FromOptions(Load());

        Assert.False(connection.UsesIdentity);
        Assert.Null(connection.Credential);
        var client = connection.CreateTableServiceClient(new TableClientOptions());
        Assert.Equal("devstoreaccount1", client.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), client.Uri);
    }

    [Fact]
    public void A_connection_string_is_used_exactly_as_given()
    {
        const string connectionString = "DefaultEndpointsProtocol=https;AccountName=velozconn;AccountKey=a2V5;EndpointSuffix=core.windows.net";

        var connection = StorageConnection.FromOptions(Load(("AzureWebJobsStorage", connectionString)));

        Assert.False(connection.UsesIdentity);
        Assert.Equal(connectionString, connection.ConnectionString.Reveal());
        Assert.Equal(new TableServiceClient(connectionString).Uri, connection.CreateTableServiceClient(new TableClientOptions()).Uri);
    }

    [Fact]
    public void A_connection_string_wins_over_identity_settings()
    {
        var connection = StorageConnection.FromOptions(Load(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("AzureWebJobsStorage__accountName", "velozidentity")));

        Assert.False(connection.UsesIdentity);
        Assert.Equal("devstoreaccount1", connection.CreateTableServiceClient(new TableClientOptions()).AccountName);
    }

    [Fact]
    public void The_account_name_alone_gives_the_public_endpoints_and_DefaultAzureCredential()
    {
        var connection = StorageConnection.FromOptions(Load(("AzureWebJobsStorage__accountName", "velozidentity")));

        Assert.True(connection.UsesIdentity);
        Assert.IsType<DefaultAzureCredential>(connection.Credential);
        Assert.Null(connection.ManagedIdentityClientId);
        Assert.True(connection.ConnectionString.IsEmpty);
        var client = connection.CreateTableServiceClient(new TableClientOptions());
        Assert.Equal(new Uri("https://velozidentity.table.core.windows.net"), client.Uri);
        Assert.Equal("velozidentity", client.AccountName);
        Assert.Equal(new Uri("https://velozidentity.queue.core.windows.net"), connection.Identity!.QueueServiceUri);
        Assert.Equal(new Uri("https://velozidentity.blob.core.windows.net"), connection.Identity.BlobServiceUri);
    }

    [Fact]
    public void With_identity_settings_only_the_worker_lease_and_the_order_row_writer_use_the_accounts_endpoints_and_the_credential()
    {
        // As deployed by infra/: no connection string, AzureWebJobsStorage__accountName and __clientId.
        var options = Load(("AzureWebJobsStorage__accountName", "velozidentity"), ("AzureWebJobsStorage__clientId", ClientId));

        var lease = VeloZ.Storage.Leadership.LeaseBlob.Create(options, TimeSpan.FromSeconds(5));
        using var rows = TableRowClient.Create(StorageConnection.FromOptions(options), TimeSpan.FromSeconds(5));

        Assert.Equal(new Uri($"https://velozidentity.blob.core.windows.net/{options.StoragePrefix}{VeloZ.Storage.Leadership.LeaseBlob.ContainerName}/{VeloZ.Storage.Leadership.LeaseBlob.BlobName}"), lease.Uri);
        Assert.Equal(new Uri("https://velozidentity.table.core.windows.net/"), rows.Endpoint);
        Assert.Equal("Bearer", rows.Authorization);
    }

    [Fact]
    public void The_client_id_selects_the_user_assigned_identity()
    {
        var connection = StorageConnection.FromOptions(Load(
            ("AzureWebJobsStorage__accountName", "velozidentity"),
            ("AzureWebJobsStorage__clientId", ClientId)));

        Assert.IsType<DefaultAzureCredential>(connection.Credential);
        Assert.Equal(ClientId, connection.ManagedIdentityClientId);
    }

    [Fact]
    public void Service_uris_are_used_as_given()
    {
        var connection = StorageConnection.FromOptions(Load(
            ("AzureWebJobsStorage__tableServiceUri", "https://velozsov.table.core.chinacloudapi.cn/"),
            ("AzureWebJobsStorage__queueServiceUri", "https://velozsov.queue.core.chinacloudapi.cn"),
            ("AzureWebJobsStorage__blobServiceUri", "https://velozsov.blob.core.chinacloudapi.cn")));

        Assert.True(connection.UsesIdentity);
        Assert.Equal(new Uri("https://velozsov.table.core.chinacloudapi.cn"), connection.CreateTableServiceClient(new TableClientOptions()).Uri);
        Assert.Equal(new Uri("https://velozsov.queue.core.chinacloudapi.cn"), connection.Identity!.QueueServiceUri);
        Assert.Equal(new Uri("https://velozsov.blob.core.chinacloudapi.cn"), connection.Identity.BlobServiceUri);
    }

    [Fact]
    public void The_table_store_and_the_registrations_follow_the_choice()
    {
        var options = Load(("AzureWebJobsStorage__accountName", "velozidentity"), ("VELOZ_STORAGE_PREFIX", "vz"));
        using var provider = new ServiceCollection().AddVelozStorage(options).BuildServiceProvider();

        Assert.True(provider.GetRequiredService<StorageConnection>().UsesIdentity);
        Assert.Equal(new Uri("https://velozidentity.table.core.windows.net/vzmarket"), provider.GetRequiredService<TableStore>().Table(TableStore.MarketTable).Uri);
    }
}
