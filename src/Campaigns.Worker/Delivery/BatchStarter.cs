using System.Diagnostics;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Takes one batch of jobs from read to sending: claims their messages (<see cref="JobClaimer"/>), lets
/// them through their channel's rate limit (<see cref="SendAdmission"/>), runs the before-send hooks and
/// starts each on a slot, then acknowledges the jobs that had nothing to send. The batch's
/// <c>campaign_sends process</c> span is current meanwhile, so the claim and the calls are its children.
/// </summary>
public sealed class BatchStarter(
    JobClaimer claimer,
    SendAdmission admission,
    IEnumerable<IBeforeSendHook> beforeSendHooks,
    SendJobStream stream,
    ConsumerIdentity identity,
    ILogger<BatchStarter> logger)
{
    // A failed batch most likely means Postgres is away: a pause before the next read, not a tight loop of doomed claims.
    private static readonly TimeSpan PauseAfterFailedBatch = TimeSpan.FromMilliseconds(250);

    private readonly IBeforeSendHook[] _beforeSendHooks = [.. beforeSendHooks];

    public async Task StartAsync(StreamEntry[] entries, SendSlots slots, CancellationToken cancellationToken)
    {
        var jobs = claimer.Read(entries);
        var previous = Activity.Current;
        var batch = new JobBatch(WorkerActivities.StartProcessBatch(jobs.TraceParents, entries.Length, identity.Name));
        // Claimed and neither started nor lost: what a stopping worker hands back.
        var notStarted = new HashSet<ClaimedMessage>();
        JobClaimer.Claim claim;
        try
        {
            claim = await claimer.ClaimAsync(jobs.Valid, batch, cancellationToken);
            batch.Expect(claim.Messages.Count);
            notStarted.UnionWith(claim.Messages);
            await foreach (var step in admission.AdmitAsync(claim.Messages, cancellationToken))
            {
                foreach (var lost in step.Lost)
                {
                    notStarted.Remove(lost);
                    batch.SendFinished(sent: false);
                }
                await BeforeSendAsync(step.Admitted, cancellationToken);
                foreach (var message in step.Admitted)
                {
                    slots.Start(message);
                    notStarted.Remove(message);
                }
            }
            Log.BatchClaimed(logger, entries.Length, claim.Messages.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unacknowledged, the jobs come back by XAUTOCLAIM; claimed-but-unsent messages by their lease.
            batch.Fail(e);
            Log.BatchFailed(logger, e, entries.Length);
            await Task.Delay(PauseAfterFailedBatch, cancellationToken);
            return;
        }
        catch (OperationCanceledException) when (notStarted.Count > 0)
        {
            // Shutting down with claimed messages not yet sent (waiting for permits, or in a hook).
            await claimer.ReleaseAsync(notStarted);
            throw;
        }
        finally
        {
            Activity.Current = previous;
        }

        await AcknowledgeAsync([.. jobs.NotJobs, .. claim.Unclaimed], cancellationToken);
    }

    private async Task BeforeSendAsync(IReadOnlyList<ClaimedMessage> admitted, CancellationToken cancellationToken)
    {
        if (admitted.Count == 0)
        {
            return;
        }
        foreach (var hook in _beforeSendHooks)
        {
            await hook.BeforeSendAsync(admitted, cancellationToken);
        }
    }

    private async Task AcknowledgeAsync(RedisValue[] entryIds, CancellationToken cancellationToken)
    {
        try
        {
            await stream.AcknowledgeAsync(entryIds, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.AcknowledgeFailed(logger, e, entryIds.Length);
        }
    }
}
