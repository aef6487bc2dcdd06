using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Campaigns.Core.Queue;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// One drill's own graph, tuned so recovery is quick to observe: a 3 s requeue horizon (API and worker),
/// a 5 s send lease, jobs taken over after 3 s idle, dead consumers removed after 8 s, and a modest
/// pace (16 sends at once, 10–40 ms each) so a 2,000-message campaign can be caught part-way.
/// </summary>
public sealed class Drill : IAsyncDisposable
{
    public const int Messages = 2_000;
    public static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);

    private ConnectionMultiplexer? _redis;
    private readonly Stopwatch _sinceSend = new();
    private double _pace;

    private Drill(CampaignsGraph graph, NpgsqlDataSource database)
    {
        Graph = graph;
        Database = database;
        Db = new DeliveryDatabase(database);
        Api = graph.CreateClient();
    }

    public CampaignsGraph Graph { get; }

    public DistributedApplication App => Graph.App;

    public NpgsqlDataSource Database { get; }

    public DeliveryDatabase Db { get; }

    public HttpClient Api { get; }

    /// <param name="args">AppHost settings for the drill's graph (<see cref="CampaignsGraph.StartAsync(Action{IDistributedApplicationTestingBuilder}?, CancellationToken, IEnumerable{string}?)"/>).</param>
    public static async Task<Drill> StartAsync(Action<IDistributedApplicationTestingBuilder>? configure, CancellationToken cancellationToken,
        IEnumerable<string>? args = null)
    {
        var graph = await CampaignsGraph.StartAsync(builder =>
        {
            builder.CreateResourceBuilder<ProjectResource>("worker")
                .WithEnvironment("Worker__RequeueAfter", "00:00:03")
                .WithEnvironment("Worker__RetryMaxDelay", "00:00:01")
                .WithEnvironment("Worker__SendLease", "00:00:05")
                .WithEnvironment("Worker__JobReclaimIdle", "00:00:03")
                .WithEnvironment("Worker__DeadConsumerIdle", "00:00:08")
                .WithEnvironment("Worker__Concurrency", "16")
                .WithEnvironment("Worker__BatchSize", "16")
                .WithEnvironment("Sender__MinLatencyMs", "10")
                .WithEnvironment("Sender__MaxLatencyMs", "40");
            configure?.Invoke(builder);
        }, cancellationToken, args);
        // Pooling off: after Postgres crashes in place, no stale connection is handed out.
        var connectionString = new NpgsqlConnectionStringBuilder(await graph.ConnectionStringAsync("campaignsdb", cancellationToken))
        {
            Pooling = false,
        };
        return new Drill(graph, NpgsqlDataSource.Create(connectionString.ConnectionString));
    }

    /// <summary>Customers inserted in bulk, an sms campaign created through the API; not sent yet.</summary>
    public async Task<(long CampaignId, long[] CustomerIds)> PrepareAsync(CancellationToken cancellationToken, int messages = Messages)
    {
        var customers = await Database.InsertCustomersAsync(messages, cancellationToken);
        var campaign = await Api.CreateCampaignAsync(cancellationToken, template: "Hi {first_name}, your offer is ready");
        return (campaign["id"]!.GetValue<long>(), customers);
    }

    public Task<ApiResponse> SendAsync(long campaignId, long[] customerIds, CancellationToken cancellationToken) =>
        Api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customerIds }, cancellationToken);

    /// <summary>Prepares and sends a campaign through <c>POST /campaigns/{id}/send</c>.</summary>
    public async Task<long> SendCampaignAsync(CancellationToken cancellationToken, int messages = Messages)
    {
        var (campaignId, customers) = await PrepareAsync(cancellationToken, messages);
        _sinceSend.Restart();
        (await SendAsync(campaignId, customers, cancellationToken)).Expect(HttpStatusCode.Accepted);
        return campaignId;
    }

    /// <summary>Polls until some messages are sent but most are still to do: the moment to strike.</summary>
    public async Task<DeliveryDatabase.Campaign> WaitPartWayAsync(long campaignId, CancellationToken cancellationToken, int sentAtLeast = 300)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var campaign = await Db.CampaignAsync(campaignId, deadline.Token);
            if (campaign.SentCount >= sentAtLeast)
            {
                Assert.True(campaign.PendingCount > 0, $"The campaign finished before the strike: {campaign}");
                _pace = campaign.SentCount / _sinceSend.Elapsed.TotalSeconds;
                return campaign;
            }
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>
    /// Polls the messages themselves (not the counters) until none is pending or sending; tolerates the
    /// database being away meanwhile. Returns how long it took from <paramref name="strike"/>.
    /// </summary>
    public async Task<TimeSpan> WaitAllTerminalAsync(long campaignId, Stopwatch strike, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RecoveryTimeout);
        try
        {
            while (true)
            {
                var open = await TolerantAsync(() => Database.ScalarAsync<long>(
                    "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId AND status IN ('pending', 'sending')",
                    new { campaignId }, deadline.Token), deadline.Token);
                if (open == 0)
                {
                    return strike.Elapsed;
                }
                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var counts = await Db.StatusCountsAsync(campaignId, cancellationToken);
            throw new TimeoutException($"Campaign {campaignId} not terminal {RecoveryTimeout} after the strike: " +
                string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
        }
    }

    /// <summary>
    /// Every message ended sent or failed, the campaign completed, its counters equal the messages' own
    /// counts, and the provider's recorded calls show no message called more often than its attempts
    /// (see <see cref="CallEvidence"/>).
    /// </summary>
    public async Task AssertDeliveredAsync(long campaignId, int messages, CancellationToken cancellationToken, int extraCallsAllowed = 1)
    {
        var counts = await Db.StatusCountsAsync(campaignId, cancellationToken);
        Assert.Equal(messages, counts.GetValueOrDefault("sent") + counts.GetValueOrDefault("failed"));
        var campaign = await Db.WaitUntilNotAsync(campaignId, "sending", TimeSpan.FromSeconds(15), cancellationToken);
        Assert.Equal("sent", campaign.Status);
        await Db.AssertCountersMatchAsync(campaignId, cancellationToken);
        var summary = CallEvidence.Assert(await Db.MessagesAsync(campaignId, cancellationToken),
            await Db.CallsAsync(campaignId, cancellationToken), extraCallsAllowed);
        Report($"  {counts.GetValueOrDefault("sent")} sent, {counts.GetValueOrDefault("failed")} failed; {summary}");
    }

    public async Task<IDatabase> RedisAsync(CancellationToken cancellationToken)
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(
            await Graph.ConnectionStringAsync("redis", cancellationToken) + ",allowAdmin=true");
        return _redis.GetDatabase();
    }

    public async Task FlushRedisAsync(CancellationToken cancellationToken)
    {
        await RedisAsync(cancellationToken);
        // FLUSHALL goes to every master (a cluster's replicas refuse writes, and follow their master).
        foreach (var server in _redis!.GetServers().Where(server => !server.IsReplica))
        {
            await server.FlushAllDatabasesAsync().WaitAsync(cancellationToken);
        }
    }

    /// <summary>Consumer names in the workers' groups (every shard's).</summary>
    public async Task<string[]> ConsumersAsync(CancellationToken cancellationToken)
    {
        var redis = await RedisAsync(cancellationToken);
        var consumers = await Task.WhenAll(CampaignsGraph.Queue.Keys.Select(shard =>
            redis.StreamConsumerInfoAsync(shard, CampaignSendsStream.ConsumerGroup))).WaitAsync(cancellationToken);
        return [.. consumers.SelectMany(shard => shard).Select(c => c.Name).Distinct()];
    }

    /// <summary>
    /// The undisturbed pace before the strike (sends per second since the send was accepted, which
    /// includes the campaign's start-up), and what the rest would have taken at that pace: recovery
    /// time minus that is the cost of the fault.
    /// </summary>
    public string PaceNote(DeliveryDatabase.Campaign atStrike, int messages = Messages) => _pace <= 0
        ? ""
        : $" (pace before the strike {_pace:F0} msg/s: the remaining {messages - atStrike.SentCount} would take about " +
          $"{(messages - atStrike.SentCount) / _pace:F1} s undisturbed)";

    public static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>Runs a read, retrying while Postgres is crashed or recovering.</summary>
    public static async Task<T> TolerantAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        await Database.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
