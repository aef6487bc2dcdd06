using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Api.Sending;

/// <summary>
/// Publishes to Redis; if Redis is unreachable the messages are still safe in Postgres and the
/// worker's retry driver queues them again once <c>Worker:RequeueAfter</c> has passed, so the request still succeeds.
/// </summary>
public sealed class CommittedJobsPublisher(SendJobPublisher publisher, ILogger<CommittedJobsPublisher> logger) : ICommittedJobsPublisher
{
    public async Task PublishAsync(long campaignId, QueuedMessages queued, CancellationToken cancellationToken)
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
