using System.ComponentModel.DataAnnotations;

namespace Campaigns.Core.Queue;

/// <summary>The send queue's shape (<c>Queue</c> section), the same for the API (producer) and every worker (consumers).</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>
    /// How many streams the jobs are spread over (by message id). One keeps the single <c>campaign_sends</c> stream;
    /// more give each stream a hash tag of its own, so that a Redis Cluster places them on different nodes.
    /// Changing it leaves the jobs of streams no longer read behind: the retry driver publishes their messages again
    /// after <c>Worker:RequeueAfter</c>, as for any lost job.
    /// </summary>
    [Range(1, SendQueueShards.MaxShards)]
    public int Shards { get; set; } = 1;
}
