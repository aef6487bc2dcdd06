using System.Diagnostics;
using Campaigns.Core.Domain;
using Campaigns.Core.Hosting;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Receipts;

/// <summary>
/// Applies the receipts the webhooks stored, a batch per statement (so a burst of receipts is a few
/// large updates, never a storm of small ones), shared between replicas (SKIP LOCKED), with
/// <see cref="ReceiptOptions.Parallelism"/> lanes of statements side by side while a backlog lasts. A batch
/// that applied something is one <c>receipts apply</c> span linked to the send traces of the messages it
/// moved; an idle look makes none. Now and then it drops receipts that never found their message.
/// </summary>
public sealed class ReceiptApplier(
    ReceiptStore store, WorkerMetrics metrics, IOptions<ReceiptOptions> options, TimeProvider time, ILogger<ReceiptApplier> logger)
    : PeriodicService(logger)
{
    private static readonly TimeSpan StaleSweepInterval = TimeSpan.FromMinutes(10);
    private const int MaxLinks = 32;

    private readonly ReceiptOptions _options = options.Value;
    private DateTimeOffset _nextStaleSweep;

    protected override TimeSpan Interval => _options.Interval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await DropStaleNowAndThenAsync(cancellationToken);
        if (!await ApplyBatchAsync(cancellationToken))
        {
            return false;
        }
        // A backlog: lanes side by side, each taking its next batch as soon as its last is applied (not in rounds, where
        // every statement would wait for the slowest), until its batches come back less than half full.
        await Task.WhenAll(Enumerable.Range(0, _options.Parallelism).Select(async _ =>
        {
            while (await ApplyBatchAsync(cancellationToken))
            {
            }
        }));
        return false;
    }

    /// <summary>Applies one batch; one <c>receipts apply</c> span if it applied anything.</summary>
    /// <returns>True when the batch was at least half full: more are probably waiting.</returns>
    private async Task<bool> ApplyBatchAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var applied = await store.ApplyAsync(_options.BatchSize, cancellationToken);
        if (applied.Count == 0)
        {
            return false;
        }
        using var activity = WorkerActivities.Source.StartActivity("receipts apply", ActivityKind.Internal,
            parentContext: default, links: Links(applied), startTime: startedAt);
        activity?.SetTag("campaigns.receipts.messages", applied.Count);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var row in applied)
        {
            if (row.Status != row.OldStatus)
            {
                metrics.ReceiptMoved(row.Status);
                if (row.SentAt is { } sentAt)
                {
                    metrics.ReceiptLag((DateTime.SpecifyKind(row.DecidedAt ?? now, DateTimeKind.Utc) - DateTime.SpecifyKind(sentAt, DateTimeKind.Utc)).TotalMilliseconds);
                }
            }
            if (row.NewlyRead)
            {
                metrics.ReceiptMoved("read");
            }
        }
        activity?.SetTag("campaigns.receipts.delivered", applied.Count(r => r.Status == MessageStatus.Delivered && r.OldStatus != r.Status));
        activity?.SetTag("campaigns.receipts.undelivered", applied.Count(r => r.Status == MessageStatus.Undelivered && r.OldStatus != r.Status));
        Log.ReceiptsApplied(logger, applied.Count);
        return applied.Count >= _options.BatchSize / 2;
    }

    private async Task DropStaleNowAndThenAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _nextStaleSweep)
        {
            return;
        }
        _nextStaleSweep = time.GetUtcNow() + StaleSweepInterval;
        var dropped = await store.DropStaleAsync(_options.KeepUnmatched, cancellationToken);
        if (dropped > 0)
        {
            Log.StaleReceiptsDropped(logger, dropped, _options.KeepUnmatched);
        }
    }

    private static IEnumerable<ActivityLink> Links(IReadOnlyList<ReceiptStore.AppliedReceipt> applied)
    {
        if (!WorkerActivities.Source.HasListeners())
        {
            return [];
        }
        return applied.Select(r => r.SendTrace).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxLinks)
            .Select(trace => ActivityContext.TryParse(trace, null, isRemote: true, out var context) ? context : default)
            .Where(context => context != default)
            .Select(context => new ActivityLink(context))
            .ToList();
    }
}
