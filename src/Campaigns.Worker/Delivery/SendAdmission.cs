using System.Diagnostics;
using System.Runtime.CompilerServices;
using Campaigns.Worker.Options;
using Campaigns.Worker.RateLimiting;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Lets claimed messages go to the provider no faster than their channel's limit, shared by all
/// replicas (<see cref="ChannelRateLimiter"/>). Channel by channel, permits are taken for as many
/// messages as are waiting, in one round trip; the granted ones go, the rest wait for the next permit.
/// While they wait, their lease is renewed each time half of it is gone, so the lease reconciler never
/// counts a failed attempt for a message that is still going to be sent; one whose lease ran out
/// anyway is no longer this worker's, and is lost instead of sent.
/// </summary>
public sealed class SendAdmission(
    ChannelRateLimiter rateLimiter,
    JobClaimer claimer,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<SendAdmission> logger)
{
    private readonly WorkerOptions _options = options.Value;

    /// <param name="Admitted">Messages that may be sent now.</param>
    /// <param name="Lost">Messages whose lease ran out while they waited: not to be sent from here.</param>
    public readonly record struct Step(IReadOnlyList<ClaimedMessage> Admitted, IReadOnlyList<ClaimedMessage> Lost);

    /// <summary>Each message comes out once, admitted or lost; an unlimited channel admits all at once.</summary>
    public async IAsyncEnumerable<Step> AdmitAsync(
        IReadOnlyList<ClaimedMessage> claimed, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                    var admitted = waiting.GetRange(0, grant.Granted);
                    waiting.RemoveRange(0, grant.Granted);
                    yield return new Step(admitted, []);
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
                    var mine = await claimer.RenewLeasesAsync(waiting, cancellationToken);
                    leaseRenewedAt = Stopwatch.GetTimestamp();
                    var lost = waiting.FindAll(m => !mine.Contains(m.Id));
                    if (lost.Count > 0)
                    {
                        waiting.RemoveAll(m => !mine.Contains(m.Id));
                        Log.LeaseLostWhileWaiting(logger, lost.Count);
                        yield return new Step([], lost);
                    }
                }
            }
        }
    }
}
