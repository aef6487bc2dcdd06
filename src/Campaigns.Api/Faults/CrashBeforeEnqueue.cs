using System.Diagnostics;
using Campaigns.Api.Sending;
using Campaigns.Core.Queue;

namespace Campaigns.Api.Faults;

/// <summary>
/// Stands in for the publisher of committed jobs when <see cref="FaultOptions.CrashAfterCommitBeforeEnqueue"/>
/// is on: the messages are committed, and instead of queueing their jobs the process dies.
/// </summary>
public sealed class CrashBeforeEnqueue(ILogger<CrashBeforeEnqueue> logger) : ICommittedJobsPublisher
{
    public Task PublishAsync(long campaignId, QueuedMessages queued, CancellationToken cancellationToken) => Crash(campaignId);

    public Task PublishQueuedAsync(long campaignId, DateTime queuedAt, CancellationToken cancellationToken) => Crash(campaignId);

    private Task Crash(long campaignId)
    {
        Log.FaultInjectedCrash(logger, campaignId);
        // As abrupt as a power cut or an OOM kill: no shutdown, no finally blocks, no flush.
        Process.GetCurrentProcess().Kill();
        return Task.CompletedTask;
    }
}
