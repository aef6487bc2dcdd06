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

    /// <summary>Takes over entries another consumer (probably dead) has held longer than <paramref name="minIdle"/>.</summary>
    public async Task<StreamEntry[]> TakeOverIdleAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken)
    {
        var result = await Database.StreamAutoClaimAsync(
            CampaignSendsStream.Name, CampaignSendsStream.ConsumerGroup, identity.Name,
            (long)minIdle.TotalMilliseconds, "0-0", count).WaitAsync(cancellationToken);
        // Entries deleted meanwhile come back as nulls; they are dropped from the pending list by Redis.
        return result.ClaimedEntries.Where(e => !e.IsNull).ToArray();
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
