using System.Diagnostics;
using Campaigns.Core.Queue;
using Campaigns.Core.Domain;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Turns a batch of jobs into the messages this worker holds: claims the jobs' messages in one
/// statement (<c>sending</c> under a lease; an opted-out customer's cancelled) and hands them to the
/// <see cref="LeaseKeeper"/>; confirms claims that waited before they go to the provider.
/// </summary>
public sealed class JobClaimer(
    ClaimStore store, LeaseKeeper leases, WorkerMetrics metrics, IOptions<WorkerOptions> options, ILogger<JobClaimer> logger)
{
    private readonly WorkerOptions _options = options.Value;

    /// <summary>A stream entry read as a job.</summary>
    public readonly record struct Job(RedisValue EntryId, SendJob Send);

    /// <summary>A batch's entries: the jobs, and the entries that are not jobs (to acknowledge, nothing to do).</summary>
    public sealed record Jobs(IReadOnlyList<Job> Valid, IReadOnlyList<RedisValue> NotJobs)
    {
        public IReadOnlyList<string?> TraceParents => [.. Valid.Select(j => j.Send.TraceParent)];
    }

    /// <param name="Messages">Claimed: <c>sending</c> under this worker's lease, to be sent.</param>
    /// <param name="Unclaimed">Entries of jobs with nothing to send here: done, to acknowledge.</param>
    public sealed record Claim(IReadOnlyList<ClaimedMessage> Messages, IReadOnlyList<RedisValue> Unclaimed);

    public Jobs Read(StreamEntry[] entries)
    {
        var valid = new List<Job>(entries.Length);
        var notJobs = new List<RedisValue>();
        foreach (var entry in entries)
        {
            if (SendJob.FromEntry(entry) is { } job)
            {
                valid.Add(new Job(entry.Id, job));
                continue;
            }
            Log.InvalidJob(logger, entry.Id.ToString());
            notJobs.Add(entry.Id);
        }
        return new Jobs(valid, notJobs);
    }

    /// <summary>
    /// Claims the jobs' messages (a message queued twice is claimed once, for all its entries). Not
    /// claimed: already done, claimed elsewhere, campaign not sending, waiting for a backoff, a stale job
    /// (its stamp is no longer the row's), or the customer opted out (cancelled here).
    /// </summary>
    public async Task<Claim> ClaimAsync(IReadOnlyList<Job> jobs, JobBatch batch, CancellationToken cancellationToken)
    {
        var entriesByMessage = new Dictionary<long, List<RedisValue>>();
        // Of several jobs for one message only the newest stamp can still be the row's.
        var newestStamp = new Dictionary<long, DateTime>();
        var campaigns = new Dictionary<long, long>();
        foreach (var job in jobs)
        {
            var messageId = job.Send.OutboundMessageId;
            if (!entriesByMessage.TryGetValue(messageId, out var ids))
            {
                entriesByMessage[messageId] = ids = [];
            }
            ids.Add(job.EntryId);
            if (!newestStamp.TryGetValue(messageId, out var stamp) || job.Send.QueuedAt > stamp)
            {
                newestStamp[messageId] = job.Send.QueuedAt;
            }
            if (job.Send.CampaignId is { } campaignId)
            {
                campaigns[messageId] = campaignId;
            }
        }
        // Before the claim: the limits it returns as durations are counted from here, so they never run late.
        var claimStarted = Stopwatch.GetTimestamp();
        IReadOnlyList<ClaimStore.ClaimedRow> rows = newestStamp.Count == 0
            ? []
            : await store.ClaimAsync([.. newestStamp.Select(s => new ClaimStore.JobStamp(s.Key, s.Value, campaigns.TryGetValue(s.Key, out var c) ? c : null))], _options.SendLease, batch.TraceParent, cancellationToken);

        var claimed = new List<ClaimedMessage>(rows.Count);
        var unclaimed = new List<RedisValue>();
        var sameText = rows.Where(ClaimStore.IsClaimed).CountBy(row => row.RenderedContent, StringComparer.Ordinal)
            .ToDictionary(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var entryIds = entriesByMessage[row.Id];
            entriesByMessage.Remove(row.Id);
            if (!ClaimStore.IsClaimed(row))
            {
                NotClaimed(row);
                unclaimed.AddRange(entryIds);
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
                AttemptProvider = row.AttemptProvider,
                AttemptUnknown = row.AttemptUnknown,
                Template = WhatsAppTemplate.FromJson(row.WhatsappTemplate),
                TemplateParameters = row.TemplateParameters,
                SameTextInClaim = sameText[row.RenderedContent],
                SendBy = After(claimStarted, row.SendWithin),
                ValidUntil = After(claimStarted, row.ValidFor),
            });
        }
        foreach (var ids in entriesByMessage.Values)
        {
            unclaimed.AddRange(ids);
        }
        leases.Hold(claimed);
        return new Claim(claimed, unclaimed);
    }

    private void NotClaimed(ClaimStore.ClaimedRow row)
    {
        switch (row.Status)
        {
            case MessageStatus.Cancelled:
                Log.MessageCancelledOptedOut(logger, row.Id, row.CampaignId);
                metrics.Cancelled(row.Channel);
                break;
            case MessageStatus.Expired:
                Log.MessageExpiredAtClaim(logger, row.Id, row.CampaignId);
                metrics.Expired(row.Channel);
                break;
            default:
                metrics.WindowDeferred(row.Channel);
                break;
        }
    }

    private static long? After(long start, TimeSpan? duration) =>
        duration is { } d ? start + (long)(Math.Max(0, d.TotalSeconds) * Stopwatch.Frequency) : null;

    /// <summary>
    /// Claims that waited (for permits) and are about to go: returns those still to send. The rest are
    /// let go: their campaign was paused or cancelled meanwhile (handed back, no attempt charged), or
    /// their lease ran out; either way no provider call may start for them here.
    /// </summary>
    public async Task<HashSet<long>> ConfirmAsync(IReadOnlyList<ClaimedMessage> waited, CancellationToken cancellationToken)
    {
        var mine = await store.ConfirmAsync(waited, _options.SendLease, cancellationToken);
        leases.LetGo(waited.Where(m => !mine.Contains(m.Id)));
        return mine;
    }
}
