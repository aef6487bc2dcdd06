using System.Diagnostics;
using System.Runtime.CompilerServices;
using Campaigns.Worker.RateLimiting;
using Campaigns.Worker.Telemetry;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Lets claimed messages go to the provider no faster than their channel's limit, shared by all
/// replicas (<see cref="ChannelRateLimiter"/>). Channel by channel, permits are taken for as many
/// messages as are waiting, in one round trip; the granted ones go, the rest wait for the next permit.
/// A claim that had to wait answers to pause and cancel: before it goes it is confirmed (its campaign
/// still sending), and while it waits it is looked at every second, so a pause or cancel hands back
/// the claims still waiting at once and no provider call for that campaign starts after it answered.
/// </summary>
public sealed class SendAdmission(
    ChannelRateLimiter rateLimiter,
    JobClaimer claimer,
    WorkerMetrics metrics,
    ILogger<SendAdmission> logger)
{
    // How often claims waiting for permits are checked against a pause or cancel of their campaign.
    private static readonly TimeSpan ConfirmWaitingEvery = TimeSpan.FromSeconds(1);

    /// <param name="Admitted">Messages that may be sent now.</param>
    /// <param name="Withdrawn">Messages not to be sent from here: handed back (campaign paused or cancelled) or lease lost.</param>
    public readonly record struct Step(IReadOnlyList<ClaimedMessage> Admitted, IReadOnlyList<ClaimedMessage> Withdrawn);

    /// <summary>Each message comes out once, admitted or withdrawn; an unlimited channel admits all at once.</summary>
    public async IAsyncEnumerable<Step> AdmitAsync(
        IReadOnlyList<ClaimedMessage> claimed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Straight from the claim a message goes unconfirmed: the claim itself found the campaign sending,
        // under the same lock a pause or cancel waits for. Once anything waited, claims are confirmed first.
        var waited = false;
        foreach (var channel in claimed.GroupBy(m => m.Channel))
        {
            var waiting = channel.ToList();
            var confirmedAt = Stopwatch.GetTimestamp();
            while (waiting.Count > 0)
            {
                var grant = await rateLimiter.AcquireAsync(channel.Key, waiting.Count, cancellationToken);
                if (grant.Granted > 0)
                {
                    var admitted = waiting.GetRange(0, grant.Granted);
                    waiting.RemoveRange(0, grant.Granted);
                    yield return waited ? await ConfirmAsync(admitted, cancellationToken) : new Step(admitted, []);
                }
                if (waiting.Count == 0)
                {
                    break;
                }
                waited = true;
                metrics.RateLimitWaited(channel.Key);
                Log.RateLimitWait(logger, channel.Key, waiting.Count, grant.RetryAfter);
                await Task.Delay(grant.RetryAfter, cancellationToken);
                if (Stopwatch.GetElapsedTime(confirmedAt) >= ConfirmWaitingEvery)
                {
                    var step = await ConfirmAsync(waiting, cancellationToken);
                    confirmedAt = Stopwatch.GetTimestamp();
                    if (step.Withdrawn.Count > 0)
                    {
                        waiting = [.. step.Admitted];
                        yield return new Step([], step.Withdrawn);
                    }
                }
            }
        }
    }

    private async Task<Step> ConfirmAsync(List<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        var mine = await claimer.ConfirmAsync(messages, cancellationToken);
        var withdrawn = messages.FindAll(m => !mine.Contains(m.Id));
        if (withdrawn.Count == 0)
        {
            return new Step(messages, []);
        }
        Log.ClaimsWithdrawn(logger, withdrawn.Count);
        return new Step(messages.FindAll(m => mine.Contains(m.Id)), withdrawn);
    }
}
