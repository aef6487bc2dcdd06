using System.Diagnostics;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Takes one batch of jobs from read to sending in two steps. <see cref="StartAsync"/> claims their messages
/// (<see cref="JobClaimer"/>) and returns; the task it returns lets them through their channel's rate limit
/// (<see cref="SendAdmission"/>), runs the before-send hooks and starts each as a slot frees, then acknowledges
/// the jobs that had nothing to send. So the consumer reads and claims the next batch while this one waits for
/// slots, and a freed slot never waits for a read or a claim. Should the batch fail or the worker stop part-way,
/// the claims not yet started are handed back without an attempt. The batch's <c>campaign_sends process</c> span
/// is current meanwhile, so the claim and the calls are its children.
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
    // A failed claim most likely means Postgres is away: a pause before the next read, not a tight loop of doomed claims.
    private static readonly TimeSpan PauseAfterFailedBatch = TimeSpan.FromMilliseconds(250);

    private readonly IBeforeSendHook[] _beforeSendHooks = [.. beforeSendHooks];

    /// <summary>
    /// Claims the batch's messages, then returns the task that admits and starts them on <paramref name="slots"/>
    /// (which it disposes when done). That task does not throw: a failure hands the claims back.
    /// </summary>
    public async Task<Task> StartAsync(SendJobReader.ShardEntries read, SendSlots slots, CancellationToken cancellationToken)
    {
        var entries = read.Entries;
        var jobs = claimer.Read(entries);
        var previous = Activity.Current;
        var batch = new JobBatch(WorkerActivities.StartProcessBatch(jobs.TraceParents, entries.Length, identity.Name,
            stream.Shards[read.Shard].ToString()), read.Shard);
        // Entries with nothing (more) to do here: not jobs, nothing claimed, or withdrawn before sending.
        var done = new List<RedisValue>(jobs.NotJobs);
        try
        {
            var claim = await claimer.ClaimAsync(jobs.Valid, batch, cancellationToken);
            done.AddRange(claim.Unclaimed);
            batch.Expect(claim.Messages.Count);
            Log.BatchClaimed(logger, entries.Length, claim.Messages.Count);
            // Started under the batch's span, which the task keeps as its own current activity.
            return AdmitAndStartAsync(claim.Messages, done, batch, slots, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing was claimed. Jobs not acknowledged come back by XAUTOCLAIM.
            slots.Dispose();
            batch.Fail(e);
            Log.BatchFailed(logger, e, entries.Length, 0);
            await AcknowledgeAsync(read.Shard, [.. done], cancellationToken);
            await Task.Delay(PauseAfterFailedBatch, cancellationToken);
            return Task.CompletedTask;
        }
        catch (OperationCanceledException)
        {
            slots.Dispose();
            throw;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private async Task AdmitAndStartAsync(
        IReadOnlyList<ClaimedMessage> claimed, List<RedisValue> done, JobBatch batch, SendSlots slots, CancellationToken cancellationToken)
    {
        using var tickets = slots;
        // Claimed and neither started nor withdrawn: what a failed batch or a stopping worker hands back.
        var notStarted = new HashSet<ClaimedMessage>(claimed);
        // Given to the before-send hooks (which may have acted on them, as the call record does) and perhaps not started.
        var hooked = new List<ClaimedMessage>();
        try
        {
            await foreach (var step in admission.AdmitAsync(claimed, cancellationToken))
            {
                foreach (var withdrawn in step.Withdrawn)
                {
                    notStarted.Remove(withdrawn);
                    done.AddRange(withdrawn.EntryIds);
                    batch.SendFinished(sent: false);
                }
                hooked.AddRange(step.Admitted);
                await BeforeSendAsync(step.Admitted, cancellationToken);
                foreach (var message in step.Admitted)
                {
                    await tickets.StartAsync(message, cancellationToken);
                    notStarted.Remove(message);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Claims never sent go back as pending, charged nothing (written by the flusher, which retries while
            // Postgres is away). Jobs not acknowledged come back by XAUTOCLAIM and claim nothing twice.
            batch.Fail(e);
            Log.BatchFailed(logger, e, claimed.Count, notStarted.Count);
            // The hooks first: nothing can claim these messages again before the flusher writes them handed back.
            await HandedBackAsync(hooked.Where(notStarted.Contains).ToList());
            await pipeline.HandBackAsync(notStarted);
        }
        catch (OperationCanceledException)
        {
            // Shutting down with claimed messages not yet sent (waiting for permits, a slot, or in a hook).
            await HandedBackAsync(hooked.Where(notStarted.Contains).ToList());
            await pipeline.HandBackAsync(notStarted);
            return;
        }
        await AcknowledgeAsync(batch.Shard, [.. done], cancellationToken);
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

    private async Task HandedBackAsync(IReadOnlyList<ClaimedMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }
        foreach (var hook in _beforeSendHooks)
        {
            await hook.HandedBackAsync(messages);
        }
    }

    private async Task AcknowledgeAsync(int shard, RedisValue[] entryIds, CancellationToken cancellationToken)
    {
        try
        {
            await stream.AcknowledgeAsync(shard, entryIds, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the jobs not acknowledged come back by XAUTOCLAIM and claim nothing twice.
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.AcknowledgeFailed(logger, e, entryIds.Length);
        }
    }
}
