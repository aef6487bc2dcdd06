using System.Collections.Concurrent;
using System.Diagnostics;
using Campaigns.Core.Hosting;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Keeps the lease of every claim this worker holds, from the claim until its outcome is written: while it
/// waits for rate-limit permits, while its provider call runs, and while its answer waits for the
/// <see cref="OutcomeFlusher"/>. A lease that runs out while the claim is still held makes the lease
/// reconciler guess (a failed attempt, perhaps a second call); renewing each lease once a quarter of it is
/// gone keeps guesses for dead workers and outages longer than the lease.
/// </summary>
public sealed class LeaseKeeper(ClaimStore store, IOptions<WorkerOptions> options, ILogger<LeaseKeeper> logger)
    : PeriodicService(logger)
{
    private readonly WorkerOptions _options = options.Value;
    // Each held claim with the time its lease was last set (claimed or renewed).
    private readonly ConcurrentDictionary<ClaimedMessage, long> _held = new();

    protected override TimeSpan Interval => _options.SendLease / 8;

    // After an outage the leases are short of time: look again soon, not after a long backoff.
    protected override TimeSpan MaxErrorDelay => Interval;

    private TimeSpan RenewAfter => _options.SendLease / 4;

    public int Count => _held.Count;

    /// <summary>Claims just taken: their lease runs from now.</summary>
    public void Hold(IEnumerable<ClaimedMessage> messages)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var message in messages)
        {
            _held[message] = now;
        }
    }

    /// <summary>Claims whose outcome is written, or that are no longer this worker's.</summary>
    public void LetGo(IEnumerable<ClaimedMessage> messages)
    {
        foreach (var message in messages)
        {
            _held.TryRemove(message, out _);
        }
    }

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = _held.Where(h => Stopwatch.GetElapsedTime(h.Value) >= RenewAfter).Select(h => h.Key).ToList();
        if (due.Count == 0)
        {
            return false;
        }
        using var activity = WorkerActivities.StartBackgroundWork("campaign_sends renew leases");
        activity?.SetTag("messaging.batch.message_count", due.Count);
        var renewedAt = Stopwatch.GetTimestamp();
        var mine = await store.RenewLeasesAsync(due, _options.SendLease, cancellationToken);
        foreach (var message in due)
        {
            if (mine.Contains(message.Id) && _held.TryGetValue(message, out var previous))
            {
                _held.TryUpdate(message, renewedAt, previous);
            }
        }
        if (mine.Count < due.Count)
        {
            // Their outcome is still written when it comes: record_late_outcomes decides whether it counts.
            Log.LeasesLostWhileHeld(logger, due.Count - mine.Count);
        }
        return false;
    }
}
