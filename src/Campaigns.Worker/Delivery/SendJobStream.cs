using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>The consumer side of <c>campaign_sends</c>: group, reads, take-overs and acknowledgements.</summary>
public sealed class SendJobStream(IConnectionMultiplexer redis, ConsumerIdentity identity)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates the group (and the stream) if missing, from the beginning so no job is skipped.</summary>
    public async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Database.StreamCreateConsumerGroupAsync(
                CampaignSendsStream.Name, CampaignSendsStream.ConsumerGroup, StreamPosition.Beginning, createStream: true)
                .WaitAsync(cancellationToken);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica (or an earlier run) made it.
        }
    }

    public static bool IsMissingGroup(Exception e) =>
        e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    /// <summary>New entries for this consumer (XREADGROUP … &gt;).</summary>
    public async Task<StreamEntry[]> ReadAsync(int count, CancellationToken cancellationToken) =>
        await Database.StreamReadGroupAsync(
            CampaignSendsStream.Name, CampaignSendsStream.ConsumerGroup, identity.Name, StreamPosition.NewMessages, count)
            .WaitAsync(cancellationToken);

    /// <summary>
    /// Takes over entries another consumer (probably dead) has held longer than <paramref name="minIdle"/>.
    /// Scans the group's pending list from where the previous call stopped, so a long list of entries
    /// still being worked on cannot hide idle ones further on.
    /// </summary>
    public async Task<StreamEntry[]> TakeOverIdleAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken)
    {
        var result = await Database.StreamAutoClaimAsync(
            CampaignSendsStream.Name, CampaignSendsStream.ConsumerGroup, identity.Name,
            (long)minIdle.TotalMilliseconds, _takeOverCursor, count).WaitAsync(cancellationToken);
        _takeOverCursor = result.NextStartId.IsNullOrEmpty ? "0-0" : result.NextStartId;
        // Entries deleted meanwhile come back as nulls; they are dropped from the pending list by Redis.
        return result.ClaimedEntries.Where(e => !e.IsNull).ToArray();
    }

    private RedisValue _takeOverCursor = "0-0";

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
    /// processes whose jobs were taken over. One script, one round trip; a missing stream or group is 0.
    /// </summary>
    public async Task<int> RemoveDeadConsumersAsync(TimeSpan minIdle, CancellationToken cancellationToken)
    {
        var removed = await Database.ScriptEvaluateAsync(RemoveDeadConsumersScript,
            [CampaignSendsStream.Name],
            [CampaignSendsStream.ConsumerGroup, identity.Name, (long)minIdle.TotalMilliseconds]).WaitAsync(cancellationToken);
        return (int)removed;
    }

    /// <summary>XACK then XDEL, pipelined: a handled job leaves the stream, so its length is the backlog.</summary>
    public async Task AcknowledgeAsync(RedisValue[] entryIds, CancellationToken cancellationToken)
    {
        if (entryIds.Length == 0)
        {
            return;
        }
        var database = Database;
        var ack = database.StreamAcknowledgeAsync(CampaignSendsStream.Name, CampaignSendsStream.ConsumerGroup, entryIds);
        var delete = database.StreamDeleteAsync(CampaignSendsStream.Name, entryIds);
        await Task.WhenAll(ack, delete).WaitAsync(cancellationToken);
    }
}
