using System.Diagnostics;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Takes one batch of jobs from read to sending: claims their messages (<see cref="JobClaimer"/>), lets
/// them through their channel's rate limit (<see cref="SendAdmission"/>), runs the before-send hooks and
/// starts each on a slot, then acknowledges the jobs that had nothing to send. Should the batch fail or
/// the worker stop part-way, the claims not yet started are handed back without an attempt. The batch's
/// <c>campaign_sends process</c> span is current meanwhile, so the claim and the calls are its children.
/// </summary>
public sealed class BatchStarter(
    JobClaimer claimer,
    SendAdmission admission,
    SendPipeline pipeline,
    IEnumerable<IBeforeSendHook> beforeSendHooks,
    SendJobStream stream,
    ConsumerIdentity identity,
    ILogger<BatchStarter> logger)
{
    // A failed batch most likely means Postgres is away: a pause before the next read, not a tight loop of doomed claims.
    private static readonly TimeSpan PauseAfterFailedBatch = TimeSpan.FromMilliseconds(250);

    private readonly IBeforeSendHook[] _beforeSendHooks = [.. beforeSendHooks];

    public async Task StartAsync(SendJobReader.ShardEntries read, SendSlots slots, CancellationToken cancellationToken)
    {
        var entries = read.Entries;
        var jobs = claimer.Read(entries);
        var previous = Activity.Current;
        var batch = new JobBatch(WorkerActivities.StartProcessBatch(jobs.TraceParents, entries.Length, identity.Name,
            stream.Shards[read.Shard].ToString()), read.Shard);
        // Claimed and neither started nor withdrawn: what a failed batch or a stopping worker hands back.
        var notStarted = new HashSet<ClaimedMessage>();
        // Entries with nothing (more) to do here: not jobs, nothing claimed, or withdrawn before sending.
        var done = new List<RedisValue>(jobs.NotJobs);
        try
        {
            var claim = await claimer.ClaimAsync(jobs.Valid, batch, cancellationToken);
            done.AddRange(claim.Unclaimed);
            batch.Expect(claim.Messages.Count);
            notStarted.UnionWith(claim.Messages);
            await foreach (var step in admission.AdmitAsync(claim.Messages, cancellationToken))
            {
                foreach (var withdrawn in step.Withdrawn)
                {
                    notStarted.Remove(withdrawn);
                    done.AddRange(withdrawn.EntryIds);
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
            // Claims never sent go back as pending, charged nothing (written by the flusher, which retries
            // while Postgres is away). Jobs not acknowledged come back by XAUTOCLAIM and claim nothing twice.
            batch.Fail(e);
            Log.BatchFailed(logger, e, entries.Length, notStarted.Count);
            await pipeline.HandBackAsync(notStarted);
            await AcknowledgeAsync(read.Shard, [.. done], cancellationToken);
            await Task.Delay(PauseAfterFailedBatch, cancellationToken);
            return;
        }
        catch (OperationCanceledException) when (notStarted.Count > 0)
        {
            // Shutting down with claimed messages not yet sent (waiting for permits, or in a hook).
            await pipeline.HandBackAsync(notStarted);
            throw;
        }
        finally
        {
            Activity.Current = previous;
        }

        await AcknowledgeAsync(read.Shard, [.. done], cancellationToken);
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

    private async Task AcknowledgeAsync(int shard, RedisValue[] entryIds, CancellationToken cancellationToken)
    {
        try
        {
            await stream.AcknowledgeAsync(shard, entryIds, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.AcknowledgeFailed(logger, e, entryIds.Length);
        }
    }
}
