using System.Text;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

/// <summary>
/// Writes whose answer never arrives: a proxy in front of Azurite forwards a write and then drops the
/// connection (the write landed, the answer is lost), or drops it without forwarding (it never landed).
/// The writer must settle both by reading the row, never by sending the write again.
/// </summary>
public sealed class UnknownWriteOutcomeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebApplication? _proxy;
    private string _proxyUrl = string.Empty;
    private volatile ProxyMode _mode = ProxyMode.Pass;
    private int _writesForwarded;
    private string? _lastMergeBody;

    private enum ProxyMode
    {
        Pass,
        ForwardWritesThenDrop,
        DropWrites,
        ForwardWritesThenAnswer500,
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _proxy = builder.Build();
        var upstream = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{azurite.TablePort}") };
        _proxy.Run(async context => await ForwardAsync(context, upstream));
        await _proxy.StartAsync(Ct);
        _proxyUrl = _proxy.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    private async Task ForwardAsync(HttpContext context, HttpClient upstream)
    {
        // Merges go as MERGE (REST writer) or PATCH (the SDK): both are writes.
        var isWrite = context.Request.Method is "POST" or "MERGE" or "PATCH";
        var mode = isWrite ? _mode : ProxyMode.Pass;
        if (mode == ProxyMode.DropWrites)
        {
            context.Abort();
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (context.Request.Method is "MERGE" or "PATCH")
        {
            _lastMergeBody = System.Text.Encoding.UTF8.GetString(body.ToArray());
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        request.Content = new ByteArrayContent(body.ToArray());
        foreach (var header in context.Request.Headers)
        {
            if (header.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
            else if (!string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await upstream.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (isWrite && (int)response.StatusCode < 300)
        {
            Interlocked.Increment(ref _writesForwarded);
        }

        switch (mode)
        {
            case ProxyMode.ForwardWritesThenDrop:
                context.Abort();
                return;
            case ProxyMode.ForwardWritesThenAnswer500:
                context.Response.StatusCode = 500;
                return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!string.Equals(header.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await context.Response.Body.WriteAsync(answer);
    }

    private async Task<(TableStore Direct, TableStore ThroughProxy)> NewStoresAsync()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var direct = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = prefix });
        await direct.EnsureCreatedAsync(Ct);
        var proxied = new TableStore(new StorageOptions
        {
            StorageConnectionString = new Secret($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.AccountKey};TableEndpoint={_proxyUrl}/devstoreaccount1;"),
            StoragePrefix = prefix,
        });
        return (direct, proxied);
    }

    private static OrderState NewOrder(string id) => OrderStateMachine.New(id, "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1);

    [Fact]
    public async Task An_insert_that_landed_but_whose_answer_was_lost_is_stored_not_a_duplicate_and_sent_once()
    {
        var (direct, proxied) = await NewStoresAsync();
        var repository = new OrderRepository(proxied);
        _mode = ProxyMode.ForwardWritesThenDrop;

        var etag = await repository.InsertAsync(NewOrder("lost-answer-1"), Ct);

        Assert.NotNull(etag);
        Assert.Equal(1, _writesForwarded);
        // The ETag read back is the row's real one: a replace with it succeeds.
        _mode = ProxyMode.Pass;
        Assert.True(await new OrderRepository(direct).TryStoreChangeAsync(NewOrder("lost-answer-1"), NewOrder("lost-answer-1") with { CancelRequested = true }, etag.Value, Ct));
    }

    [Fact]
    public async Task An_index_row_whose_answer_was_lost_is_read_back_as_written_and_sent_once()
    {
        var (direct, proxied) = await NewStoresAsync();
        _mode = ProxyMode.ForwardWritesThenDrop;

        await new OrderRepository(proxied).VenueOrders.AddAsync("BTCUSDT", "42", "idx-lost-1", Ct);

        Assert.Equal(1, _writesForwarded);
        Assert.Equal("idx-lost-1", await new OrderRepository(direct).VenueOrders.FindAsync("BTCUSDT", "42", Ct));
    }

    [Fact]
    public async Task An_index_row_that_never_reached_storage_fails_as_storage_unavailable()
    {
        var (direct, proxied) = await NewStoresAsync();
        _mode = ProxyMode.DropWrites;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => new OrderRepository(proxied).VenueOrders.AddAsync("BTCUSDT", "43", "idx-never-1", Ct));

        Assert.Null(await new OrderRepository(direct).VenueOrders.FindAsync("BTCUSDT", "43", Ct));
    }

    [Fact]
    public async Task An_insert_that_never_reached_storage_fails_as_storage_unavailable_and_leaves_no_row()
    {
        var (direct, proxied) = await NewStoresAsync();
        _mode = ProxyMode.DropWrites;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => new OrderRepository(proxied).InsertAsync(NewOrder("never-1"), Ct));

        Assert.Null(await new OrderRepository(direct).GetAsync("never-1", Ct));
    }

    [Fact]
    public async Task An_unanswered_insert_of_an_id_someone_else_stored_first_is_a_duplicate()
    {
        var (direct, proxied) = await NewStoresAsync();
        Assert.NotNull(await new OrderRepository(direct).InsertAsync(NewOrder("theirs-1"), Ct));
        _mode = ProxyMode.DropWrites;

        Assert.Null(await new OrderRepository(proxied).InsertAsync(NewOrder("theirs-1"), Ct));
    }

    [Fact]
    public async Task A_transaction_that_landed_but_whose_answer_was_a_server_error_stores_every_order_once()
    {
        var (direct, proxied) = await NewStoresAsync();
        var repository = new OrderRepository(proxied);
        var target = OrderKeys.ShardIndex("group-0");
        var ids = Enumerable.Range(0, 2000).Select(i => $"group-{i}").Where(id => OrderKeys.ShardIndex(id) == target).Take(30).ToList();
        _mode = ProxyMode.ForwardWritesThenAnswer500;

        var etags = await Task.WhenAll(ids.Select(id => repository.InsertAsync(NewOrder(id), Ct)));

        Assert.All(etags, e => Assert.NotNull(e));
        var (requests, rows) = repository.WriteCounters;
        Assert.Equal(requests, _writesForwarded);
        Assert.True(requests < ids.Count, $"{requests} requests for {ids.Count} rows: not grouped, the test proves nothing about transactions.");
        foreach (var id in ids)
        {
            Assert.NotNull(await new OrderRepository(direct).GetAsync(id, Ct));
        }
    }

    [Fact]
    public async Task A_replace_whose_answer_was_lost_is_read_again_and_applied_once()
    {
        var (direct, proxied) = await NewStoresAsync();
        var repository = new OrderRepository(proxied);
        Assert.NotNull(await repository.InsertAsync(NewOrder("replace-1"), Ct));
        _mode = ProxyMode.ForwardWritesThenDrop;

        var transition = await repository.ApplyAsync("replace-1", new OrderAcknowledged(2, "55"), Ct);

        Assert.NotNull(transition);
        _mode = ProxyMode.Pass;
        var stored = (await new OrderRepository(direct).GetAsync("replace-1", Ct))!.Value.State;
        Assert.Equal(OrderStatus.Accepted, stored.Status);
        Assert.Equal("55", stored.VenueOrderId);
    }

    [Fact]
    public async Task A_change_sends_only_the_columns_it_changes_and_the_row_is_the_whole_new_order()
    {
        var (direct, proxied) = await NewStoresAsync();
        var repository = new OrderRepository(proxied);
        Assert.NotNull(await repository.InsertAsync(NewOrder("diff-1"), Ct));

        var transition = await repository.ApplyAsync("diff-1", new OrderAcknowledged(2, "77"), Ct);

        using var sent = System.Text.Json.JsonDocument.Parse(_lastMergeBody!);
        var columns = sent.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !n.Contains('@', StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(["LastTsNs", "PartitionKey", "RowKey", "Status", "VenueOrderId"], columns);
        Assert.Equal(transition!.State, (await new OrderRepository(direct).GetAsync("diff-1", Ct))!.Value.State);
    }
}

public sealed class UnhurriedWriteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OrderState Order(string id) => OrderStateMachine.New(id, "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1);

    /// <summary>A repository on a fake clock with one order <c>{prefix}0</c> stored, and <paramref name="more"/> further ids of its shard.</summary>
    private async Task<Lane> NewLaneAsync(string prefix, int more)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var repository = new OrderRepository(await OrderRowWriterTests.NewStoreAsync(azurite), clock);
        var first = Order(prefix + "0");
        var etag = (await repository.InsertAsync(first, Ct))!.Value;
        var ids = Enumerable.Range(1, 1000).Select(i => $"{prefix}{i}").Where(id => OrderKeys.ShardIndex(id) == OrderKeys.ShardIndex(first.ClientOrderId)).Take(more).ToList();
        return new Lane(clock, repository, first, etag, ids);
    }

    /// <summary>The venue's answer to the first order, stored behind the reply.</summary>
    private static Task<bool> AnswerAsync(Lane lane) =>
        lane.Repository.TryStoreChangeAsync(lane.First, lane.First with { CancelRequested = true }, lane.ETag, Ct, unhurried: true);

    /// <summary>Starts an insert of <paramref name="id"/>, answers the first order while it is in flight (so the answer queues behind it), and waits for the insert.</summary>
    private static async Task<Task<bool>> AnswerBehindInsertAsync(Lane lane, string id)
    {
        var inFlight = lane.Repository.InsertAsync(Order(id), Ct);
        var answer = AnswerAsync(lane);
        Assert.NotNull(await inFlight.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        return answer;
    }

    private static async Task AssertAnsweredAsync(Lane lane) =>
        Assert.True((await lane.Repository.GetAsync(lane.First.ClientOrderId, Ct))!.Value.State.CancelRequested);

    [Fact]
    public async Task In_an_idle_lane_an_unhurried_replace_goes_at_once()
    {
        var lane = await NewLaneAsync("idle-", 0);
        var before = lane.Repository.WriteCounters;

        // The clock never moves: nothing waits for a hold-back.
        Assert.True(await AnswerAsync(lane).WaitAsync(TimeSpan.FromSeconds(10), Ct));

        Assert.Equal((before.Requests + 1, before.Rows + 1), lane.Repository.WriteCounters);
        await AssertAnsweredAsync(lane);
    }

    [Fact]
    public async Task An_unhurried_replace_left_behind_by_a_busy_lane_goes_alone_after_the_hold_back()
    {
        var lane = await NewLaneAsync("held-", 1);
        var answer = await AnswerBehindInsertAsync(lane, lane.Ids[0]);
        var before = lane.Repository.WriteCounters;
        await Task.Delay(300, Ct);
        Assert.False(answer.IsCompleted);

        lane.Clock.Advance(OrderRowWriter.HoldBack);

        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal((before.Requests + 1, before.Rows + 1), lane.Repository.WriteCounters);
        await AssertAnsweredAsync(lane);
    }

    [Fact]
    public async Task When_a_lanes_inserts_come_slower_than_the_hold_back_an_unhurried_replace_does_not_wait()
    {
        var lane = await NewLaneAsync("slow-", 2);
        lane.Clock.Advance(OrderRowWriter.HoldBack * 4);
        Assert.NotNull(await lane.Repository.InsertAsync(Order(lane.Ids[0]), Ct));
        lane.Clock.Advance(OrderRowWriter.HoldBack * 4);

        // An answer left behind by a busy lane: no insert is expected soon, so it goes as soon as the lane is free.
        var answer = await AnswerBehindInsertAsync(lane, lane.Ids[1]);

        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await AssertAnsweredAsync(lane);
    }

    [Fact]
    public async Task An_unhurried_replace_left_behind_by_a_busy_lane_still_waits_for_company()
    {
        var lane = await NewLaneAsync("busy-", 2);

        // The insert is in flight when the answer arrives: the answer queues behind it in the same lane.
        var answer = await AnswerBehindInsertAsync(lane, lane.Ids[0]);
        var before = lane.Repository.WriteCounters;

        // Only the answer is left: it is not sent on its own while the hold-back lasts...
        await Task.Delay(300, Ct);
        Assert.False(answer.IsCompleted);
        Assert.Equal(before, lane.Repository.WriteCounters);

        // ...and goes with the next insert, in one request.
        Assert.NotNull(await lane.Repository.InsertAsync(Order(lane.Ids[1]), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal((before.Requests + 1, before.Rows + 2), lane.Repository.WriteCounters);
        await AssertAnsweredAsync(lane);
    }

    private sealed record Lane(FakeTimeProvider Clock, OrderRepository Repository, OrderState First, RowVersion ETag, List<string> Ids);
}

/// <summary>What the writer puts on the wire, seen by a server that records each request and answers 204.</summary>
public sealed class TableRowClientWireTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<(string Method, string PathAndQuery, string? Authorization, string? Version)> _seen = [];
    private WebApplication? _server;
    private Uri _endpoint = new("http://127.0.0.1/");

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Run(context =>
        {
            lock (_seen)
            {
                _seen.Add((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers["x-ms-version"].FirstOrDefault()));
            }

            context.Response.StatusCode = 204;
            context.Response.Headers.ETag = "W/\"datetime'2026-11-27T10%3A00%3A00Z'\"";
            return Task.CompletedTask;
        });
        await _server.StartAsync(Ct);
        _endpoint = new Uri(_server.Urls.First() + "/veloz");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_a_managed_identity_each_write_carries_a_bearer_token_fetched_once_and_reused()
    {
        var credential = new CountingCredential();
        using var client = TableRowClient.WithToken(_endpoint, credential, TimeSpan.FromSeconds(5));

        var first = await client.WriteAsync("orders", new RowOperation(new TableEntity("o1", "a"), null), Ct);
        var second = await client.WriteAsync("orders", new RowOperation(new TableEntity("o1", "a"), "W/\"1\""), Ct);

        Assert.Equal(RowWriteOutcome.Written, first.Outcome);
        Assert.Equal("W/\"datetime'2026-11-27T10%3A00%3A00Z'\"", second.ETag);
        Assert.All(_seen, r => Assert.Equal("Bearer token-1", r.Authorization));
        Assert.All(_seen, r => Assert.Equal(TableRowClient.ServiceVersion, r.Version));
        Assert.Equal(1, credential.Calls);
        Assert.Equal(("POST", "/veloz/orders"), (_seen[0].Method, _seen[0].PathAndQuery));
        Assert.Equal(("MERGE", "/veloz/orders(PartitionKey='o1',RowKey='a')"), (_seen[1].Method, _seen[1].PathAndQuery));
    }

    [Fact]
    public async Task A_token_is_fetched_again_five_minutes_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var credential = new CountingCredential(clock);
        using var client = TableRowClient.WithToken(_endpoint, credential, TimeSpan.FromSeconds(5), clock);

        await client.WriteAsync("orders", new RowOperation(new TableEntity("o1", "a"), null), Ct);
        clock.Advance(TimeSpan.FromMinutes(54));
        await client.WriteAsync("orders", new RowOperation(new TableEntity("o1", "b"), null), Ct);
        clock.Advance(TimeSpan.FromMinutes(2));
        await client.WriteAsync("orders", new RowOperation(new TableEntity("o1", "c"), null), Ct);

        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], _seen.Select(r => r.Authorization));
    }

    [Fact]
    public async Task With_a_shared_access_signature_the_signature_is_the_query_and_no_key_is_sent()
    {
        using var client = TableRowClient.Create(
            StorageConnection.FromOptions(new StorageOptions { StorageConnectionString = new Secret($"TableEndpoint={_endpoint};SharedAccessSignature=sv=2019-02-02&sig=abc") }),
            TimeSpan.FromSeconds(5));

        await client.SubmitAsync("orders", [new RowOperation(new TableEntity("o1", "a"), null)], Ct);

        var request = Assert.Single(_seen);
        Assert.Equal("/veloz/$batch?sv=2019-02-02&sig=abc", request.PathAndQuery);
        Assert.Null(request.Authorization);
    }

    private sealed class CountingCredential(TimeProvider? clock = null) : Azure.Core.TokenCredential
    {
        public int Calls;

        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal(["https://storage.azure.com/.default"], requestContext.Scopes);
            Interlocked.Increment(ref Calls);
            return ValueTask.FromResult(new Azure.Core.AccessToken($"token-{Calls}", (clock ?? TimeProvider.System).GetUtcNow().AddHours(1)));
        }
    }
}
