using Campaigns.Api.Data;
using Campaigns.Core.Queue;
using Npgsql;
using StackExchange.Redis;

namespace Campaigns.Api.Sending;

/// <summary>
/// Publishes to Redis; if Redis (or, between pages, Postgres) is unreachable the messages are still safe in
/// Postgres and the worker's retry driver queues them again once <c>Worker:RequeueAfter</c> has passed, so
/// the request still succeeds. The same holds for the pages not yet published when the API dies.
/// </summary>
public sealed class CommittedJobsPublisher(SendJobPublisher publisher, QueuedMessagePages pages, ILogger<CommittedJobsPublisher> logger)
    : ICommittedJobsPublisher
{
    public async Task PublishAsync(long campaignId, QueuedMessages queued, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(queued with { CampaignId = campaignId }, cancellationToken);
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            Log.EnqueueDeferred(logger, ex, campaignId, queued.Count);
        }
    }

    public async Task PublishQueuedAsync(long campaignId, DateTime queuedAt, CancellationToken cancellationToken)
    {
        var published = 0;
        try
        {
            await foreach (var page in pages.ReadAsync(campaignId, queuedAt, cancellationToken))
            {
                await publisher.PublishAsync(page with { CampaignId = campaignId }, cancellationToken);
                published += page.Count;
            }
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            Log.EnqueueDeferredAfter(logger, ex, campaignId, published);
        }
    }

    private static bool IsOutage(Exception ex) => ex is RedisException or TimeoutException or NpgsqlException { IsTransient: true };
}
