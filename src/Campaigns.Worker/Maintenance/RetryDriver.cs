using Campaigns.Worker.Delivery;
using Campaigns.Core.Hosting;
using Campaigns.Core.Queue;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Publishes jobs for <c>pending</c> messages that are due (see <see cref="DueMessageStore"/>): retries whose
/// backoff is over, released claims, the messages of a scheduled campaign just dispatched, and messages
/// whose job was lost (published more than <c>Worker:RequeueAfter</c> ago and never claimed: the API died
/// between commit and publish, or Redis lost its data). Safe with several replicas: each round takes its
/// rows atomically (<c>FOR UPDATE SKIP LOCKED</c>) and stamps them. While the stream already holds a large
/// backlog it publishes nothing: those jobs cover the pending messages, and more would only pile up.
/// When the queue lost its jobs (<see cref="QueueLoss"/>), every message queued before that is lost too,
/// and is published again in the next rounds instead of after the horizon.
/// </summary>
public sealed class RetryDriver(
    DueMessageStore store,
    QueueLoss queueLoss,
    SendJobPublisher publisher,
    QueueState queue,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<RetryDriver> logger) : PeriodicService(logger)
{
    private readonly WorkerOptions _options = options.Value;
    // Messages queued before this (Postgres's clock) lost their job with the queue.
    private DateTime? _lostBefore;

    protected override TimeSpan Interval => _options.RequeueInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (queueLoss.IsReported)
        {
            // The backlog last sampled is gone with the queue: no reason to hold back this round.
            _lostBefore = await store.NowAsync(cancellationToken);
            queueLoss.Acknowledge();
            Log.QueueLost(logger);
        }
        else if (queue.IsFresh(QueueLagSampler.Interval * 3) && queue.Length > _options.RequeueMaxBacklog)
        {
            return false;
        }
        var due = await store.TakeDueAsync(_options.RequeueBatchSize, _options.RequeueAfter, _lostBefore, cancellationToken);
        if (due.Count > 0)
        {
            using var activity = WorkerActivities.StartBackgroundWork("campaign_sends requeue");
            activity?.SetTag("messaging.batch.message_count", due.Count);
            // Should this fail, the rows are due again after RequeueAfter (queued, but no job got out).
            foreach (var queued in DueMessageStore.ByStamp(due))
            {
                await publisher.PublishAsync(queued, cancellationToken);
            }
            foreach (var reason in due.GroupBy(d => d.Reason))
            {
                metrics.RetryDriverRequeued(reason.Key, reason.Count());
            }
            Log.MessagesRequeued(logger, due.Count);
        }
        return due.Count >= _options.RequeueBatchSize;
    }
}
