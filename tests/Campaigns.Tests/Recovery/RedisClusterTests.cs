using System.Diagnostics;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using Campaigns.AppHost.Infrastructure;
using Campaigns.Core.Queue;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// A graph on a local Redis Cluster (issue 17): three masters with a replica each, the send queue in three shards whose
/// hash tags put one on each master, the drill's quick recovery settings. Shared by the tests below, which hold
/// whatever order they run in: the drill leaves three masters serving every slot.
/// </summary>
public sealed class RedisClusterGraph : IAsyncLifetime
{
    public const int Shards = 3;

    public static readonly SendQueueShards Queue = new(Shards);

    private Drill? _drill;

    public Drill Drill => _drill ?? throw new InvalidOperationException("The graph has not started");

    public async ValueTask InitializeAsync() => _drill = await Drill.StartAsync(configure: null, TestContext.Current.CancellationToken,
        ["Infrastructure:RedisCluster=true", "Infrastructure:RedisClusterReplicas=1", $"Queue:Shards={Shards}"]);

    public async ValueTask DisposeAsync()
    {
        if (_drill is not null)
        {
            await _drill.DisposeAsync();
        }
    }
}

/// <summary>Delivery through a Redis Cluster, and a master killed mid-campaign.</summary>
[Collection(nameof(RecoveryDrills))]
public sealed class RedisClusterTests(RedisClusterGraph cluster) : IClassFixture<RedisClusterGraph>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Drill Drill => cluster.Drill;

    [Fact]
    public async Task A_campaign_is_delivered_through_the_cluster_each_message_called_once_per_attempt()
    {
        Assert.True(Drill.Graph.IsRedisCluster);
        var redis = await Drill.RedisAsync(Ct);
        // Each shard's stream lives on a master of its own.
        Assert.Equal(RedisClusterGraph.Shards, RedisClusterGraph.Queue.Keys.Select(key => Port(redis.IdentifyEndpoint(key))).Distinct().Count());
        await using var send = new SendThroughApi(Drill.Graph, Drill.Database);

        // Retries too: the mock fails some attempts at random, these every one (three attempts, then failed).
        var phones = Enumerable.Range(0, 300).Select(_ => Unique.KenyanPhone())
            .Concat(Enumerable.Range(0, 10).Select(_ => DeliveryPhones.ForcedTransient()))
            .ToList();
        var sent = await send.SendAsync(phones, Ct);
        var campaign = await Drill.Db.WaitUntilNotAsync(sent.CampaignId, "sending", TimeSpan.FromSeconds(60), Ct);

        Assert.Equal("sent", campaign.Status);
        await Drill.Db.AssertCountersMatchAsync(sent.CampaignId, Ct);
        var calls = await Drill.Db.CallsAsync(sent.CampaignId, Ct);
        Assert.Equal(calls.Count, calls.Select(c => (c.MessageId, c.Attempt)).Distinct().Count());
        var messages = await Drill.Db.MessagesAsync(sent.CampaignId, Ct);
        Assert.All(messages.Values, m => Assert.Equal(
            Enumerable.Range(1, m.Status == "sent" ? m.RetryCount + 1 : 3),
            calls.Where(c => c.MessageId == m.Id).Select(c => c.Attempt).Order()));
        Assert.All(phones.Where(p => p.StartsWith("+25479990", StringComparison.Ordinal)),
            phone => Assert.Equal("failed", messages[sent.MessageIdByPhone[phone]].Status));
        Drill.Report($"{messages.Count} messages: {messages.Values.Count(m => m.Status == "sent")} sent, " +
            $"{messages.Values.Count(m => m.RetryCount > 0)} retried, {calls.Count} calls");
    }

    [Fact]
    public async Task A_master_killed_mid_campaign_fails_over_to_its_replica_and_every_message_ends_terminal()
    {
        var redis = await Drill.RedisAsync(Ct);
        var shard = RedisClusterGraph.Queue[1];
        var victim = NodeAt(Port(redis.IdentifyEndpoint(shard)));
        var slot = SendQueueShards.ClusterSlot(HashTag(shard));
        var campaignId = await Drill.SendCampaignAsync(Ct);
        var before = await Drill.WaitPartWayAsync(campaignId, Ct);

        var strike = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(GraphResources.LauncherPid(Drill.App, victim.Name)))
        {
            Assert.StartsWith("redis-server", process.ProcessName, StringComparison.Ordinal);
            process.Kill();
        }
        var successor = await WaitForNewMasterAsync(redis.Multiplexer, slot, victim.Endpoint.Port);
        var failedOver = strike.Elapsed;
        var recovered = await Drill.WaitAllTerminalAsync(campaignId, strike, Ct);

        Drill.Report($"Master {victim.Name} (shard {shard}, slot {slot}) SIGKILLed at {before.SentCount} sent / {before.PendingCount} pending / " +
            $"{before.SendingCount} sending: its replica on port {successor} took the slot after {failedOver.TotalSeconds:F1} s, " +
            $"every message terminal {recovered.TotalSeconds:F1} s after the kill" + Drill.PaceNote(before));
        await Drill.AssertDeliveredAsync(campaignId, Drill.Messages, Ct);
        // Healthy again although a master their connection string names is gone: the cluster serves every slot.
        await WaitHealthyAsync("worker");
        await WaitHealthyAsync("api");
    }

    private async Task WaitHealthyAsync(string resource)
    {
        using var client = Drill.Graph.CreateClient(resource, authenticated: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var answer = "";
        try
        {
            while (true)
            {
                using var response = await client.GetAsync("/health", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                answer = await response.Content.ReadAsStringAsync(deadline.Token);
                await Task.Delay(250, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"{resource} /health still not 200 after the failover: {answer}");
        }
    }

    /// <summary>Polls the surviving masters' view until another node serves <paramref name="slot"/>; returns its port.</summary>
    private static async Task<int> WaitForNewMasterAsync(IConnectionMultiplexer redis, int slot, int killedPort)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            foreach (var server in redis.GetServers().Where(s => s.IsConnected && Port(s.EndPoint) != killedPort))
            {
                try
                {
                    var owner = MasterOf((string)(await server.ExecuteAsync("CLUSTER", "NODES").WaitAsync(deadline.Token))!, slot);
                    if (owner is { } port && port != killedPort)
                    {
                        return port;
                    }
                }
                catch (RedisException)
                {
                    // That node is going too; ask the next.
                }
            }
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>The port of the live master serving <paramref name="slot"/> in a <c>CLUSTER NODES</c> answer.</summary>
    private static int? MasterOf(string nodes, int slot)
    {
        foreach (var fields in nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim().Split(' ')))
        {
            // id address@bus flags master ping pong epoch link slot…
            var flags = fields[2].Split(',');
            if (!flags.Contains("master") || flags.Contains("fail") || flags.Contains("fail?"))
            {
                continue;
            }
            foreach (var range in fields.Skip(8).Where(f => !f.StartsWith('[')))
            {
                var bounds = range.Split('-');
                if (int.Parse(bounds[0]) <= slot && slot <= int.Parse(bounds[^1]))
                {
                    return int.Parse(fields[1].Split('@')[0].Split(':')[^1]);
                }
            }
        }
        return null;
    }

    private LocalRedisNodeResource NodeAt(int port) => Drill.App.Services.GetRequiredService<DistributedApplicationModel>()
        .Resources.OfType<LocalRedisNodeResource>().Single(node => node.Endpoint.Port == port);

    private static int Port(EndPoint? endpoint) => endpoint switch
    {
        IPEndPoint ip => ip.Port,
        DnsEndPoint dns => dns.Port,
        _ => throw new InvalidOperationException($"No port in {endpoint}"),
    };

    private static string HashTag(RedisKey key)
    {
        var name = (string)key!;
        var start = name.IndexOf('{') + 1;
        return name[start..name.IndexOf('}', start)];
    }
}
