using System.Diagnostics;
using System.Threading.Channels;
using Campaigns.Core.Domain;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Writes finished sends in batches (every <c>OutcomeBatchSize</c> outcomes or <c>OutcomeFlushInterval</c>),
/// then acknowledges their jobs: a job leaves the stream only once its outcome is committed. A batch that
/// cannot be written (Postgres away) is retried with backoff; until then its jobs stay unacknowledged
/// and its messages <c>sending</c>, so nothing is lost if the process dies meanwhile.
/// </summary>
public sealed class OutcomeFlusher(
    OutcomeStore store,
    SendJobStream stream,
    LeaseKeeper leases,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<OutcomeFlusher> logger)
{
    // Postgres away: the first retry comes soon, later ones double up to MaxRetryDelay so an outage is not
    // hammered; but not beyond a second, since held answers should land before the reconciler's guesses act.
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);
    // After a bug (not an outage) broke a batch, a pause so that a bug on every batch cannot spin the flusher.
    private static readonly TimeSpan PauseAfterCrash = TimeSpan.FromSeconds(1);
    private readonly WorkerOptions _options = options.Value;

    /// <summary>Runs until the channel is completed and drained, or <paramref name="cancellationToken"/> gives up.</summary>
    public async Task RunAsync(ChannelReader<FinishedSend> outcomes, CancellationToken cancellationToken)
    {
        var batch = new List<FinishedSend>(_options.OutcomeBatchSize);
        try
        {
            while (await outcomes.WaitToReadAsync(cancellationToken))
            {
                if (outcomes.Count < _options.OutcomeBatchSize && _options.OutcomeFlushInterval > TimeSpan.Zero
                    && !outcomes.Completion.IsCompleted)
                {
                    // Let the first outcome gather company: one transaction for many messages.
                    await Task.Delay(_options.OutcomeFlushInterval, cancellationToken);
                }
                while (batch.Count < _options.OutcomeBatchSize && outcomes.TryRead(out var outcome))
                {
                    batch.Add(outcome);
                }
                try
                {
                    await FlushAsync(batch, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bug, not an outage (those are retried inside): never let the flusher die silently.
                    Log.FlushCrashed(logger, e, batch.Count);
                    await Task.Delay(PauseAfterCrash, cancellationToken);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.OutcomesAbandoned(logger, batch.Count + (outcomes.CanCount ? outcomes.Count : 0));
        }
    }

    private async Task FlushAsync(List<FinishedSend> batch, CancellationToken cancellationToken)
    {
        var decided = batch.Select(o => (o.Result is { } result
                ? AttemptOutcome.Decide(o.Message.Id, o.Message.RetryCount, result, _options.MaxAttempts,
                    failed => Backoff.Compute(failed, _options.RetryBaseDelay, _options.RetryMaxDelay))
                : AttemptOutcome.HandedBack(o.Message.Id, o.Message.RetryCount)) with { CampaignId = o.Message.CampaignId })
            .ToList();

        var retryDelay = FirstRetryDelay;
        OutcomeStore.Result result;
        while (true)
        {
            using var activity = StartSettleActivity(batch);
            try
            {
                result = await store.ApplyAsync(decided, onlyExpiredLeases: false, cancellationToken);
                activity?.SetTag("campaigns.outcomes.applied", result.Applied.Count);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                activity?.AddException(e);
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                Log.OutcomeWriteFailed(logger, e, batch.Count, retryDelay);
                await Task.Delay(retryDelay, cancellationToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }

        leases.LetGo(batch.Select(o => o.Message));
        Report(batch, decided, result);

        try
        {
            await Task.WhenAll(batch.GroupBy(o => o.Message.Batch.Shard).Select(shard =>
                stream.AcknowledgeAsync(shard.Key, shard.SelectMany(o => o.Message.EntryIds).ToArray(), cancellationToken)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The outcome is committed; the jobs come back after JobReclaimIdle and are acknowledged then.
            Log.AcknowledgeFailed(logger, e, batch.Count);
        }
    }

    private void Report(List<FinishedSend> batch, List<AttemptOutcome> decided, OutcomeStore.Result result)
    {
        var applied = result.Applied.ToDictionary(r => r.Id, r => r.Status);
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i].Message;
            if (!applied.TryGetValue(message.Id, out var status))
            {
                // Its lease ran out, the attempt was counted as failed, and the message was claimed again.
                Log.OutcomeSuperseded(logger, message.Id, message.CampaignId);
                continue;
            }
            if (decided[i].IsHandBack && status == MessageStatus.Pending)
            {
                continue;
            }
            switch (status)
            {
                case MessageStatus.Sent:
                    metrics.Sent(message.Channel);
                    break;
                case MessageStatus.Failed:
                    metrics.Failed(message.Channel);
                    Log.MessageFailed(logger, message.Id, message.CampaignId, decided[i].RetryCount, decided[i].Error);
                    break;
                case MessageStatus.Pending:
                    metrics.Retried(message.Channel);
                    Log.MessageWillRetry(logger, message.Id, message.CampaignId, decided[i].RetryCount, decided[i].RetryDelay, decided[i].Error);
                    break;
                case MessageStatus.Cancelled:
                    metrics.Cancelled(message.Channel);
                    break;
            }
        }
        foreach (var campaign in result.CompletedCampaigns)
        {
            Log.CampaignCompleted(logger, campaign.Id, campaign.Status);
        }
    }

    private static Activity? StartSettleActivity(List<FinishedSend> batch)
    {
        if (!WorkerActivities.Source.HasListeners())
        {
            return null;
        }
        var links = batch.Select(o => o.Message.Batch.Context).Where(c => c != default).Distinct().Take(32)
            .Select(c => new ActivityLink(c));
        var activity = WorkerActivities.Source.StartActivity(
            "campaign_sends settle", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("messaging.batch.message_count", batch.Count);
        return activity;
    }
}
