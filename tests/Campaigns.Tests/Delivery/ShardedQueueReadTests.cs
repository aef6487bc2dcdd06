using System.Diagnostics.Metrics;
using Campaigns.Core.Queue;
using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// The worker's reader on a sharded queue, against the graph's Redis (a database no worker reads): each read takes one
/// shard's jobs, and the shards take turns, so a shard with a long backlog cannot keep the others' jobs waiting.
/// </summary>
public sealed class ShardedQueueReadTests(AppFixture fixture)
{
    private const int UnreadDatabase = 11;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_take_the_shards_in_turn_so_a_backlog_in_one_does_not_starve_the_others()
    {
        var shards = new SendQueueShards(3);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            await fixture.Graph.UnreadRedisAsync(UnreadDatabase, Ct));
        var database = redis.GetDatabase();
        foreach (var key in shards.Keys)
        {
            await database.KeyDeleteAsync(key).WaitAsync(Ct);
        }
        // 30 jobs on shard 0 (ids divisible by 3), two on each of the others.
        long[] ids = [.. Enumerable.Range(1, 30).Select(i => 3L * i), 1, 4, 2, 5];
        await new SendJobPublisher(redis, shards).PublishAsync(new QueuedMessages(ids, DateTime.UtcNow), Ct);
        var stream = new SendJobStream(redis, new ConsumerIdentity(), shards);
        var reader = Reader(stream);
        await reader.JoinGroupAsync(Ct);

        var reads = new List<SendJobReader.ShardEntries>();
        for (var read = 0; read < 6; read++)
        {
            reads.Add(await reader.ReadAsync(10, Ct));
        }

        Assert.Equal([0, 1, 2, 0, 0, 0], reads.Select(r => r.Shard));
        Assert.Equal([10, 2, 2, 10, 10, 0], reads.Select(r => r.Entries.Length));
        Assert.All(reads, read => Assert.All(read.Entries, entry =>
            Assert.Equal(read.Shard, (int)(SendJob.FromEntry(entry)!.Value.OutboundMessageId % 3))));

        foreach (var read in reads.Where(r => r.Entries.Length > 0))
        {
            await stream.AcknowledgeAsync(read.Shard, [.. read.Entries.Select(e => e.Id)], Ct);
        }
        foreach (var key in shards.Keys)
        {
            Assert.Equal(0, await database.StreamLengthAsync(key).WaitAsync(Ct));
        }
    }

    private static SendJobReader Reader(SendJobStream stream)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new SendJobReader(stream, new QueueLoss(),
            new WorkerMetrics(meters, new QueueState(), new Campaigns.Worker.Providers.ProviderCircuitStates()),
            Microsoft.Extensions.Options.Options.Create(new WorkerOptions()), NullLogger<SendJobReader>.Instance);
    }
}
