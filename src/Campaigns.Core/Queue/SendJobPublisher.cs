using System.Diagnostics;
using StackExchange.Redis;

namespace Campaigns.Core.Queue;

/// <summary>
/// Queues one job per message with pipelined XADDs, a batch at a time, under one Producer span per
/// batch (a send of 100,000 messages makes a handful of spans, not 100,000), each job on its message's shard.
/// Used by the API's send, resume and retry paths and by the worker's retry driver.
/// </summary>
public sealed class SendJobPublisher(IConnectionMultiplexer redis, SendQueueShards shards)
{
    public static readonly ActivitySource ActivitySource = new("Campaigns.Queue");

    public async Task PublishAsync(QueuedMessages queued, CancellationToken cancellationToken)
    {
        var messageIds = queued.MessageIds;
        var database = redis.GetDatabase();
        for (var offset = 0; offset < messageIds.Count; offset += CampaignSendsStream.PublishBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(CampaignSendsStream.PublishBatchSize, messageIds.Count - offset);
            using var activity = ActivitySource.StartActivity($"{CampaignSendsStream.Name} publish", ActivityKind.Producer);
            activity?.SetTag("messaging.system", "redis");
            activity?.SetTag("messaging.operation.type", "publish");
            activity?.SetTag("messaging.destination.name", CampaignSendsStream.Name);
            activity?.SetTag("messaging.batch.message_count", count);
            activity?.SetTag("campaigns.queue.shards", shards.Count);

            var traceParent = CurrentTraceParent();
            var pending = new Task[count];
            for (var i = 0; i < count; i++)
            {
                var job = new SendJob(messageIds[offset + i], queued.QueuedAt, traceParent, queued.CampaignId);
                pending[i] = database.StreamAddAsync(shards[shards.ShardOf(job.OutboundMessageId)], job.ToEntries());
            }
            // StackExchange.Redis pipelines these (on a cluster, one pipeline per node): one flush, not one round trip each.
            await Task.WhenAll(pending).WaitAsync(cancellationToken);
        }
    }

    /// <summary>The W3C trace context of the current span: its id is the <c>traceparent</c> value.</summary>
    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;
}
