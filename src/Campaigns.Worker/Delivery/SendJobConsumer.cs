using System.Diagnostics;
using Campaigns.Core.Queue;
using System.Runtime.CompilerServices;
using Campaigns.Worker.Options;
using Campaigns.Worker.RateLimiting;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// The consume loop: reads jobs from <c>campaign_sends</c> with XREADGROUP (polling with an adaptive
/// delay, as StackExchange.Redis has no blocking reads), claims their messages in one statement,
/// records the calls about to be made, hands the claimed messages to the <see cref="SendPipeline"/>
/// and acknowledges at once the jobs that were not claimed. Jobs held too long by a consumer that
/// died are taken over with XAUTOCLAIM. On shutdown: stop reading, let in-flight sends finish within
/// the grace period, write their outcomes, acknowledge, exit.
/// </summary>
public sealed class SendJobConsumer(
    SendJobStream stream,
    ClaimStore claims,
    SenderCallRecorder recorder,
    ChannelRateLimiter rateLimiter,
    SendPipeline pipeline,
    OutcomeFlusher flusher,
    ConsumerIdentity identity,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<SendJobConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollDelay = TimeSpan.FromMilliseconds(5);
    // An empty stream is polled ever more slowly, up to ten times a second: a retry or a new campaign waits at most this long.
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);
    // How long freed slots wait for company before a read: short, since every millisecond a slot waits
    // is a millisecond no send runs on it (4 ms instead of 10 took default-latency delivery from 80% to 82% of its ideal).
    private static readonly TimeSpan SlotPatience = TimeSpan.FromMilliseconds(4);
    /// <summary>Time the flusher gets after the sends have drained, before it gives up.</summary>
    private static readonly TimeSpan FlushDeadline = TimeSpan.FromSeconds(10);

    private readonly WorkerOptions _options = options.Value;

    /// <summary>Shutdown budget for the host: the grace period plus time to write and acknowledge.</summary>
    public static TimeSpan ShutdownBudget(WorkerOptions options) => options.ShutdownGracePeriod + FlushDeadline + TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var flushDeadline = new CancellationTokenSource();
        var flushing = flusher.RunAsync(pipeline.Outcomes, flushDeadline.Token);
        Log.ConsumerStarted(logger, identity.Name, _options.Concurrency, _options.BatchSize);
        try
        {
            await ConsumeAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Log.ConsumerStopping(logger, metrics.InFlight);
            await pipeline.DrainAsync(_options.ShutdownGracePeriod);
            flushDeadline.CancelAfter(FlushDeadline);
            await flushing;
            Log.ConsumerStopped(logger, identity.Name);
        }
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        await EnsureGroupAsync(cancellationToken);
        var pollDelay = MinPollDelay;
        var errorDelay = TimeSpan.FromMilliseconds(100);
        var takeOverEvery = TimeSpan.FromTicks(Math.Clamp(_options.JobReclaimIdle.Ticks / 4, TimeSpan.TicksPerSecond, 15 * TimeSpan.TicksPerSecond));
        var nextTakeOver = Stopwatch.GetTimestamp();
        var minimumBatch = Math.Max(1, Math.Min(_options.BatchSize, _options.Concurrency) / 4);

        while (!cancellationToken.IsCancellationRequested)
        {
            var slots = await pipeline.AcquireSlotsAsync(_options.BatchSize, minimumBatch, SlotPatience, cancellationToken);
            StreamEntry[] entries;
            try
            {
                entries = [];
                if (Stopwatch.GetTimestamp() >= nextTakeOver)
                {
                    nextTakeOver = Stopwatch.GetTimestamp() + (long)(takeOverEvery.TotalSeconds * Stopwatch.Frequency);
                    entries = await stream.TakeOverIdleAsync(_options.JobReclaimIdle, slots, cancellationToken);
                    if (entries.Length > 0)
                    {
                        metrics.JobsReclaimed(entries.Length);
                        Log.JobsTakenOver(logger, entries.Length);
                    }
                }
                if (entries.Length == 0)
                {
                    entries = await stream.ReadAsync(slots, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                pipeline.ReleaseSlots(slots);
                if (SendJobStream.IsMissingGroup(e))
                {
                    // Redis restarted or lost its data: the reconciler re-publishes what was lost.
                    Log.ConsumerGroupMissing(logger);
                    await EnsureGroupAsync(cancellationToken);
                    continue;
                }
                Log.ReadFailed(logger, e, errorDelay);
                await Task.Delay(errorDelay, cancellationToken);
                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorDelay.Ticks));
                continue;
            }
            catch
            {
                pipeline.ReleaseSlots(slots);
                throw;
            }

            errorDelay = TimeSpan.FromMilliseconds(100);
            if (entries.Length == 0)
            {
                pipeline.ReleaseSlots(slots);
                await Task.Delay(pollDelay, cancellationToken);
                pollDelay = TimeSpan.FromTicks(Math.Min(pollDelay.Ticks * 2, MaxPollDelay.Ticks));
                continue;
            }
            pollDelay = MinPollDelay;
            await ProcessAsync(entries, slots, cancellationToken);
        }
    }

    /// <summary>Claims and starts one batch. Every slot taken for it is either used by a send or released here.</summary>
    private async Task ProcessAsync(StreamEntry[] entries, int slots, CancellationToken cancellationToken)
    {
        var entriesByMessage = new Dictionary<long, List<RedisValue>>();
        // Of several jobs for one message only the newest stamp can still be the row's.
        var newestStamp = new Dictionary<long, DateTime>();
        var acknowledgeNow = new List<RedisValue>();
        var contexts = new List<string?>(entries.Length);
        foreach (var entry in entries)
        {
            if (SendJob.FromEntry(entry) is not { } job)
            {
                Log.InvalidJob(logger, entry.Id.ToString());
                acknowledgeNow.Add(entry.Id);
                continue;
            }
            contexts.Add(job.TraceParent);
            if (!entriesByMessage.TryGetValue(job.OutboundMessageId, out var ids))
            {
                entriesByMessage[job.OutboundMessageId] = ids = [];
            }
            ids.Add(entry.Id);
            if (!newestStamp.TryGetValue(job.OutboundMessageId, out var stamp) || job.QueuedAt > stamp)
            {
                newestStamp[job.OutboundMessageId] = job.QueuedAt;
            }
        }

        var previous = Activity.Current;
        var batch = new JobBatch(WorkerActivities.StartProcessBatch(contexts, entries.Length, identity.Name));
        var started = new StrongBox<int>(0);
        var unstarted = new HashSet<ClaimedMessage>();
        try
        {
            IReadOnlyList<ClaimStore.ClaimedRow> rows = [];
            if (entriesByMessage.Count > 0)
            {
                rows = await claims.ClaimAsync(
                    [.. newestStamp.Select(s => new ClaimStore.JobStamp(s.Key, s.Value))], _options.SendLease, cancellationToken);
            }

            var claimed = new List<ClaimedMessage>(rows.Count);
            foreach (var row in rows)
            {
                var entryIds = entriesByMessage[row.Id];
                entriesByMessage.Remove(row.Id);
                if (!ClaimStore.IsClaimed(row))
                {
                    Log.MessageCancelledOptedOut(logger, row.Id, row.CampaignId);
                    metrics.Cancelled(row.Channel);
                    acknowledgeNow.AddRange(entryIds);
                    continue;
                }
                claimed.Add(new ClaimedMessage
                {
                    Id = row.Id,
                    CampaignId = row.CampaignId,
                    RetryCount = row.RetryCount,
                    Content = row.RenderedContent,
                    Channel = row.Channel,
                    Phone = row.Phone,
                    EntryIds = [.. entryIds],
                    Batch = batch,
                });
            }
            // Not claimed: already done, claimed elsewhere, campaign not sending, backing off, or a stale job.
            foreach (var ids in entriesByMessage.Values)
            {
                acknowledgeNow.AddRange(ids);
            }

            batch.Expect(claimed.Count);
            unstarted.UnionWith(claimed);
            await StartAsync(claimed, batch, started, unstarted, cancellationToken);
            Log.BatchClaimed(logger, entries.Length, claimed.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unacknowledged, the jobs come back by XAUTOCLAIM; claimed-but-unsent messages by their lease.
            batch.Fail(e);
            Log.BatchFailed(logger, e, entries.Length);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            return;
        }
        catch (OperationCanceledException) when (unstarted.Count > 0)
        {
            // Shutting down with claimed messages not yet sent (waiting for permits, or being recorded).
            await ReleaseAsync(unstarted);
            throw;
        }
        finally
        {
            pipeline.ReleaseSlots(slots - started.Value);
            Activity.Current = previous;
        }

        try
        {
            await stream.AcknowledgeAsync([.. acknowledgeNow], cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.AcknowledgeFailed(logger, e, acknowledgeNow.Count);
        }
    }

    /// <summary>
    /// Starts the claimed messages, channel by channel: where a channel has a rate limit, permits are
    /// taken for as many messages as are waiting in one round trip, the granted ones start, and the rest
    /// wait for the next permit (renewing their lease when half of it is gone, so a long wait never lets
    /// the reconciler count them failed while they are still going to be sent).
    /// </summary>
    private async Task StartAsync(List<ClaimedMessage> claimed, JobBatch batch, StrongBox<int> started,
        HashSet<ClaimedMessage> unstarted, CancellationToken cancellationToken)
    {
        foreach (var channel in claimed.GroupBy(m => m.Channel))
        {
            var waiting = channel.ToList();
            var leaseRenewedAt = Stopwatch.GetTimestamp();
            while (waiting.Count > 0)
            {
                var grant = await rateLimiter.AcquireAsync(channel.Key, waiting.Count, cancellationToken);
                if (grant.Granted > 0)
                {
                    var ready = waiting.GetRange(0, grant.Granted);
                    waiting.RemoveRange(0, grant.Granted);
                    await RecordCallsAsync(ready, cancellationToken);
                    foreach (var message in ready)
                    {
                        pipeline.Start(message);
                        started.Value++;
                        unstarted.Remove(message);
                    }
                }
                if (waiting.Count == 0)
                {
                    break;
                }
                metrics.RateLimitWaited(channel.Key);
                Log.RateLimitWait(logger, channel.Key, waiting.Count, grant.RetryAfter);
                await Task.Delay(grant.RetryAfter, cancellationToken);
                if (Stopwatch.GetElapsedTime(leaseRenewedAt) > _options.SendLease / 2)
                {
                    var mine = await claims.RenewLeasesAsync(waiting, _options.SendLease, cancellationToken);
                    leaseRenewedAt = Stopwatch.GetTimestamp();
                    var lost = waiting.RemoveAll(m => !mine.Contains(m.Id));
                    unstarted.RemoveWhere(m => !mine.Contains(m.Id));
                    if (lost > 0)
                    {
                        Log.LeaseLostWhileWaiting(logger, lost);
                        for (var i = 0; i < lost; i++)
                        {
                            batch.SendFinished(sent: false);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Hands claimed messages that were never sent back (pending again, or cancelled if their campaign
    /// was), so a stopping worker leaves nothing <c>sending</c> and charges no attempt to them. Should
    /// this fail too, their lease recovers them.
    /// </summary>
    private async Task ReleaseAsync(IReadOnlyCollection<ClaimedMessage> messages)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await claims.ReleaseAsync([.. messages], timeout.Token);
            Log.ClaimsReleased(logger, messages.Count);
        }
        catch (Exception e)
        {
            Log.ReleaseFailed(logger, e, messages.Count);
        }
    }

    /// <summary>With Sender:RecordCalls, the calls are on record before any is made (retried briefly).</summary>
    private async Task RecordCallsAsync(List<ClaimedMessage> claimed, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await recorder.RecordAsync(claimed, cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 3)
            {
                Log.RecordCallsFailed(logger, e, claimed.Count);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }

    private async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await stream.EnsureGroupAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.ReadFailed(logger, e, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxErrorDelay.Ticks));
            }
        }
    }
}
