using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Tests.Recovery;

/// <summary>The worker is SIGKILLed mid-campaign and started again: nothing is lost, nothing is sent twice.</summary>
[Collection(nameof(RecoveryDrills))]
public sealed class WorkerKillDrillTests
{
    [Fact]
    public async Task A_worker_killed_mid_campaign_and_started_again_delivers_every_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(null, ct);
        var campaignId = await drill.SendCampaignAsync(ct);
        var before = await drill.WaitPartWayAsync(campaignId, ct);
        var launcher = GraphResources.LauncherPid(drill.App, "worker");
        var deadConsumers = await drill.ConsumersAsync(ct);

        var strike = Stopwatch.StartNew();
        await GraphResources.KillAsync(drill.App, "worker", ct);
        await GraphResources.CommandAsync(drill.App, "worker", KnownResourceCommands.StartCommand, ct);
        await GraphResources.WaitForRestartAsync(drill.App, "worker", launcher, ct);
        var restarted = strike.Elapsed;
        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        Drill.Report($"Worker SIGKILL at {before.SentCount} sent / {before.PendingCount} pending / {before.SendingCount} sending: " +
            $"worker healthy again after {restarted.TotalSeconds:F1} s, every message terminal {recovered.TotalSeconds:F1} s after the kill" + drill.PaceNote(before));
        await drill.AssertDeliveredAsync(campaignId, Drill.Messages, ct);

        // The dead process's consumer name leaves the group once it has been idle long enough.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        string[] consumers;
        while ((consumers = await drill.ConsumersAsync(deadline.Token)).Intersect(deadConsumers).Any())
        {
            await Task.Delay(250, deadline.Token);
        }
        Assert.Single(consumers);
        Drill.Report($"  dead consumer removed from the group {strike.Elapsed.TotalSeconds:F1} s after the kill");
    }
}
