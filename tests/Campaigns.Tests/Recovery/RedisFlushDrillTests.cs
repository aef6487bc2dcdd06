using System.Diagnostics;

namespace Campaigns.Tests.Recovery;

/// <summary>Redis loses every job (FLUSHALL) mid-campaign: the retry driver queues the pending messages again.</summary>
[Collection(nameof(RecoveryDrills))]
public sealed class RedisFlushDrillTests
{
    [Fact]
    public async Task Redis_flushed_mid_campaign_still_every_message_ends_terminal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(null, ct);
        var campaignId = await drill.SendCampaignAsync(ct);
        var before = await drill.WaitPartWayAsync(campaignId, ct);

        var strike = Stopwatch.StartNew();
        await drill.FlushRedisAsync(ct);
        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        Drill.Report($"Redis FLUSHALL at {before.SentCount} sent / {before.PendingCount} pending / {before.SendingCount} sending: " +
            $"every message terminal {recovered.TotalSeconds:F1} s after the flush (requeue horizon 3 s)" + drill.PaceNote(before));
        await drill.AssertDeliveredAsync(campaignId, Drill.Messages, ct);
    }
}
