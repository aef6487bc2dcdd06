using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// The worker is stopped (SIGTERM, the stop command) mid-campaign: it stops claiming, lets in-flight
/// sends finish, writes their outcomes and exits, leaving no message <c>sending</c>; started again, it
/// finishes the campaign.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class GracefulShutdownDrillTests
{
    [Fact]
    public async Task A_worker_stopped_mid_campaign_flushes_its_in_flight_outcomes_and_finishes_after_start()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(null, ct);
        var campaignId = await drill.SendCampaignAsync(ct);
        var before = await drill.WaitPartWayAsync(campaignId, ct);
        var launcher = GraphResources.LauncherPid(drill.App, "worker");

        var strike = Stopwatch.StartNew();
        await GraphResources.CommandAsync(drill.App, "worker", KnownResourceCommands.StopCommand, ct);
        await drill.App.ResourceNotifications.WaitForResourceAsync("worker",
            e => e.Snapshot.State?.Text is "Finished" or "Exited", ct);
        var stopped = strike.Elapsed;

        var counts = await drill.Db.StatusCountsAsync(campaignId, ct);
        Assert.Equal(0, counts.GetValueOrDefault("sending"));
        await drill.Db.AssertCountersMatchAsync(campaignId, ct);

        await GraphResources.CommandAsync(drill.App, "worker", KnownResourceCommands.StartCommand, ct);
        await GraphResources.WaitForRestartAsync(drill.App, "worker", launcher, ct);
        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        Drill.Report($"Worker stopped at {before.SentCount} sent / {before.PendingCount} pending / {before.SendingCount} sending: " +
            $"stopped in {stopped.TotalSeconds:F1} s with nothing left sending ({counts.GetValueOrDefault("sent")} sent by then), " +
            $"every message terminal {recovered.TotalSeconds:F1} s after the stop" + drill.PaceNote(before));
        // A graceful stop loses no outcome: no call beyond the recorded attempts.
        await drill.AssertDeliveredAsync(campaignId, Drill.Messages, ct, extraCallsAllowed: 0);
    }
}
