using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Worker.Telemetry;

/// <summary>
/// Samples the streams' length and the groups' pending count (summed over the shards) every couple of seconds, so
/// the gauges (and the retry driver's backlog check) read a field instead of asking Redis per scrape.
/// </summary>
public sealed class QueueLagSampler(IConnectionMultiplexer redis, SendQueueShards shards, QueueState state,
    ILogger<QueueLagSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.QueueSampleFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var samples = await Task.WhenAll(shards.Keys.Select(shard => SampleShardAsync(database, shard, cancellationToken)));
        var length = samples.Sum(s => s.Length);
        var pending = samples.Sum(s => s.Pending);
        // Acknowledged entries are deleted, so whatever is in the stream and not pending is waiting
        // (XINFO's own lag is unknown once entries have been deleted).
        state.Update(length, pending, Math.Max(0, length - pending));
    }

    private static async Task<(long Length, long Pending)> SampleShardAsync(IDatabase database, RedisKey shard,
        CancellationToken cancellationToken)
    {
        var lengthTask = database.StreamLengthAsync(shard);
        long pending = 0;
        try
        {
            var groups = await database.StreamGroupInfoAsync(shard).WaitAsync(cancellationToken);
            var group = groups.FirstOrDefault(g => g.Name == CampaignSendsStream.ConsumerGroup);
            pending = group.PendingMessageCount;
        }
        catch (RedisServerException e) when (e.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            // No stream yet: nothing queued.
        }
        return (await lengthTask.WaitAsync(cancellationToken), pending);
    }
}
