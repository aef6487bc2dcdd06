using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// The consumer side of <c>campaign_sends</c>, shard by shard (<see cref="SendQueueShards"/>): groups, reads,
/// take-overs and acknowledgements. Every command names one shard's stream, so on a Redis Cluster each goes to the
/// node holding it.
/// </summary>
public sealed class SendJobStream(IConnectionMultiplexer redis, ConsumerIdentity identity, SendQueueShards shards)
{
    private IDatabase Database => redis.GetDatabase();

    public SendQueueShards Shards => shards;

    /// <summary>Creates each shard's group (and stream) if missing, from the beginning so no job is skipped.</summary>
    public async Task EnsureGroupsAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in shards.Keys)
        {
            try
            {
                await Database.StreamCreateConsumerGroupAsync(shard, CampaignSendsStream.ConsumerGroup, StreamPosition.Beginning,
                    createStream: true).WaitAsync(cancellationToken);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                // Another replica (or an earlier run) made it.
            }
        }
    }

    public static bool IsMissingGroup(Exception e) =>
        e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    /// <summary>New entries of a shard for this consumer (XREADGROUP … &gt;).</summary>
    public async Task<StreamEntry[]> ReadAsync(int shard, int count, CancellationToken cancellationToken) =>
        await Database.StreamReadGroupAsync(
            shards[shard], CampaignSendsStream.ConsumerGroup, identity.Name, StreamPosition.NewMessages, count)
            .WaitAsync(cancellationToken);

    /// <summary>
    /// Takes over entries of a shard another consumer (probably dead) has held longer than <paramref name="minIdle"/>.
    /// Scans the shard group's pending list from where the previous call stopped, so a long list of entries
    /// still being worked on cannot hide idle ones further on.
    /// </summary>
    public async Task<StreamEntry[]> TakeOverIdleAsync(int shard, TimeSpan minIdle, int count, CancellationToken cancellationToken)
    {
        var result = await Database.StreamAutoClaimAsync(
            shards[shard], CampaignSendsStream.ConsumerGroup, identity.Name,
            (long)minIdle.TotalMilliseconds, _takeOverCursors[shard], count).WaitAsync(cancellationToken);
        _takeOverCursors[shard] = result.NextStartId.IsNullOrEmpty ? "0-0" : result.NextStartId;
        // Entries deleted meanwhile come back as nulls; they are dropped from the pending list by Redis.
        return result.ClaimedEntries.Where(e => !e.IsNull).ToArray();
    }

    private readonly RedisValue[] _takeOverCursors = [.. Enumerable.Repeat((RedisValue)"0-0", shards.Count)];

    // KEYS[1] stream; ARGV: group, this consumer, minimum idle (ms). Atomic, so a consumer that reads
    // between the check and the removal cannot lose the entries it just read.
    private const string RemoveDeadConsumersScript = """
        local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
        if not ok then return 0 end
        local minIdle = tonumber(ARGV[3])
        local removed = 0
        for _, consumer in ipairs(consumers) do
          local name, pending, idle
          for i = 1, #consumer, 2 do
            local field = consumer[i]
            if field == 'name' then name = consumer[i + 1]
            elseif field == 'pending' then pending = consumer[i + 1]
            elseif field == 'idle' then idle = consumer[i + 1] end
          end
          if name ~= nil and name ~= ARGV[2] and pending == 0 and idle ~= nil and idle >= minIdle then
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
            removed = removed + 1
          end
        end
        return removed
        """;

    /// <summary>
    /// Removes consumers idle longer than <paramref name="minIdle"/> with nothing pending: dead
    /// processes whose jobs were taken over. One script per shard (a script touches one shard's key, so it runs on a
    /// cluster too), pipelined; a missing stream or group is 0.
    /// </summary>
    public async Task<int> RemoveDeadConsumersAsync(TimeSpan minIdle, CancellationToken cancellationToken)
    {
        var database = Database;
        var removed = await Task.WhenAll(shards.Keys.Select(shard => database.ScriptEvaluateAsync(RemoveDeadConsumersScript,
            [shard], [CampaignSendsStream.ConsumerGroup, identity.Name, (long)minIdle.TotalMilliseconds]))).WaitAsync(cancellationToken);
        return removed.Sum(r => (int)r);
    }

    /// <summary>XACK then XDEL of one shard's entries, pipelined: a handled job leaves the stream, so its length is the backlog.</summary>
    public async Task AcknowledgeAsync(int shard, RedisValue[] entryIds, CancellationToken cancellationToken)
    {
        if (entryIds.Length == 0)
        {
            return;
        }
        var database = Database;
        var ack = database.StreamAcknowledgeAsync(shards[shard], CampaignSendsStream.ConsumerGroup, entryIds);
        var delete = database.StreamDeleteAsync(shards[shard], entryIds);
        await Task.WhenAll(ack, delete).WaitAsync(cancellationToken);
    }
}
