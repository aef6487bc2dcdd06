using Campaigns.Core.Queue;

namespace Campaigns.Api.Sending;

/// <summary>Queues the jobs of messages already committed as pending (send, resume, retry-failed).</summary>
public interface ICommittedJobsPublisher
{
    /// <summary>The jobs of the messages a transition returned (resume, retry-failed).</summary>
    Task PublishAsync(long campaignId, QueuedMessages queued, CancellationToken cancellationToken);

    /// <summary>
    /// The jobs of every message of the campaign still queued with <paramref name="queuedAt"/> (a send), read
    /// and published a page at a time, so a million-recipient send holds one page of ids.
    /// </summary>
    Task PublishQueuedAsync(long campaignId, DateTime queuedAt, CancellationToken cancellationToken);
}
