using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Worker.Telemetry;

/// <summary>
/// Samples the stream's length and the group's lag and pending count every couple of seconds, so
/// the gauges (and the retry driver's backlog check) read a field instead of asking Redis per scrape.
/// </summary>
public sealed class QueueLagSampler(IConnectionMultiplexer redis, QueueState state, ILogger<QueueLagSampler> logger) : BackgroundService
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
        var lengthTask = database.StreamLengthAsync(CampaignSendsStream.Name);
        long pending = 0;
        try
        {
            var groups = await database.StreamGroupInfoAsync(CampaignSendsStream.Name).WaitAsync(cancellationToken);
            var group = groups.FirstOrDefault(g => g.Name == CampaignSendsStream.ConsumerGroup);
            pending = group.PendingMessageCount;
        }
        catch (RedisServerException e) when (e.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            // No stream yet: nothing queued.
        }
        var length = await lengthTask.WaitAsync(cancellationToken);
        // Acknowledged entries are deleted, so whatever is in the stream and not pending is waiting
        // (XINFO's own lag is unknown once entries have been deleted).
        state.Update(length, pending, Math.Max(0, length - pending));
    }
}
