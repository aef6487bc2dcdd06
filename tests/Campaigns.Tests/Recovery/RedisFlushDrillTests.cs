using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// Redis loses every job (FLUSHALL) mid-campaign. The worker notices the lost consumer group and the retry
/// driver publishes every queued message again at once: with the production requeue horizon (60 s, which
/// alone would leave the campaign stalled a minute), every message of 3,000 is terminal within 15 s.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class RedisFlushDrillTests
{
    private const int Messages = 3_000;
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Redis_flushed_mid_campaign_every_message_is_terminal_within_15_seconds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(builder => builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("Worker__RequeueAfter", "00:01:00")
            // A faster pace than the other drills: the bound is on recovering the queue, not on sending 3,000 messages slowly.
            .WithEnvironment("Worker__Concurrency", "64")
            .WithEnvironment("Worker__BatchSize", "64"), ct);
        var campaignId = await drill.SendCampaignAsync(ct, Messages);
        var before = await drill.WaitPartWayAsync(campaignId, ct);

        var strike = Stopwatch.StartNew();
        await drill.FlushRedisAsync(ct);
        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        Drill.Report($"Redis FLUSHALL at {before.SentCount} sent / {before.PendingCount} pending / {before.SendingCount} sending: " +
            $"every message terminal {recovered.TotalSeconds:F1} s after the flush (requeue horizon 60 s, bound {RecoveryBound.TotalSeconds:F0} s)" +
            drill.PaceNote(before, Messages));
        Assert.True(recovered <= RecoveryBound, $"Recovery took {recovered.TotalSeconds:F1} s");
        await drill.AssertDeliveredAsync(campaignId, Messages, ct);
    }
}
