using Campaigns.Core.Queue;
using StackExchange.Redis;

namespace Campaigns.Api.Sending;

/// <summary>
/// Publishes to Redis; if Redis is unreachable the messages are still safe in Postgres and the
/// worker's reconciler queues them once <c>Send:RequeueAfter</c> passes, so the request still succeeds.
/// </summary>
public sealed class CommittedJobsPublisher(SendJobPublisher publisher, ILogger<CommittedJobsPublisher> logger) : ICommittedJobsPublisher
{
    public async Task PublishAsync(long campaignId, IReadOnlyList<long> messageIds, CancellationToken cancellationToken)
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
