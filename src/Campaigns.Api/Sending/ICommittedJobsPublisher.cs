using Campaigns.Core.Queue;

namespace Campaigns.Api.Sending;

/// <summary>Queues the jobs of messages already committed as pending (send, resume, retry-failed).</summary>
public interface ICommittedJobsPublisher
{
    Task PublishAsync(long campaignId, QueuedMessages queued, CancellationToken cancellationToken);
}
