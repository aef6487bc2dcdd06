using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Api.Apis;

/// <summary>Queues the jobs of messages already committed as pending.</summary>
public static class CommittedJobs
{
    /// <summary>
    /// Publishes; if Redis is unreachable the messages are still safe in Postgres and the worker's
    /// reconciler queues them once <c>Send:RequeueAfter</c> passes, so the request still succeeds.
    /// </summary>
    public static async Task PublishAsync(SendJobPublisher publisher, ILogger logger, long campaignId, IReadOnlyList<long> messageIds,
        CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(messageIds, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.EnqueueDeferred(logger, ex, campaignId, messageIds.Count);
        }
    }
}
