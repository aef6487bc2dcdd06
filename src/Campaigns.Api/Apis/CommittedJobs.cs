using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Api.Apis;

/// <summary>Queues the jobs of messages already committed as pending.</summary>
public static class CommittedJobs
{
    /// <summary>
    /// Publishes; if Redis is unreachable the messages are still safe in Postgres and the worker's
    /// retry driver queues them again once <c>Worker:RequeueAfter</c> has passed, so the request still succeeds.
    /// </summary>
    public static async Task PublishAsync(SendJobPublisher publisher, ILogger logger, long campaignId, QueuedMessages queued,
        CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(queued, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.EnqueueDeferred(logger, ex, campaignId, queued.Count);
        }
    }
}
