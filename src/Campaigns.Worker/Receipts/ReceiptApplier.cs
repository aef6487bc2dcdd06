using System.Diagnostics;
using Campaigns.Core.Domain;
using Campaigns.Core.Hosting;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Receipts;

/// <summary>
/// Applies the receipts the webhooks stored, a batch per statement (so a burst of receipts is a few
/// large updates, never a storm of small ones), shared between replicas (SKIP LOCKED), with
/// <see cref="ReceiptOptions.Parallelism"/> statements side by side while a backlog lasts. A round that
/// applied something is one <c>receipts apply</c> span linked to the send traces of the messages it
/// moved; an idle round makes none. Now and then it drops receipts that never found their message.
/// </summary>
public sealed class ReceiptApplier(
    ReceiptStore store, WorkerMetrics metrics, IOptions<ReceiptOptions> options, TimeProvider time, ILogger<ReceiptApplier> logger)
    : PeriodicService(logger)
{
    private static readonly TimeSpan StaleSweepInterval = TimeSpan.FromMinutes(10);
    private const int MaxLinks = 32;

    private readonly ReceiptOptions _options = options.Value;
    private DateTimeOffset _nextStaleSweep;
    private bool _backlog;

    protected override TimeSpan Interval => _options.Interval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await DropStaleNowAndThenAsync(cancellationToken);
        var startedAt = time.GetUtcNow();
        var statements = _backlog ? _options.Parallelism : 1;
        var batches = await Task.WhenAll(Enumerable.Range(0, statements)
            .Select(_ => store.ApplyAsync(_options.BatchSize, cancellationToken)));
        var applied = batches.SelectMany(batch => batch).ToList();
        // A batch at least half full means more are probably waiting.
        _backlog = batches.Any(batch => batch.Count >= _options.BatchSize / 2);
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
        return _backlog;
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
