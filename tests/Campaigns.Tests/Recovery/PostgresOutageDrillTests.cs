using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// Postgres is stopped mid-campaign for longer than the send lease, then started again. Meanwhile the
/// worker holds provider answers it cannot write, and the leases of those claims run out by Postgres's
/// clock; when it is back, the lease reconciler and the held answers race. A provider that accepts every
/// call and one attempt per message here:
/// an expiry that beat the provider's "accepted" would leave that message failed, and one sent again
/// would show as a second call.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class PostgresOutageDrillTests
{
    // Longer than the drill's 5 s lease.
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Postgres_stopped_longer_than_the_lease_no_accepted_message_fails_or_is_called_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(builder => builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("Worker__MaxAttempts", "1")
            .WithEnvironment("Sender__SuccessRate", "1"), ct);
        var campaignId = await drill.SendCampaignAsync(ct);
        var before = await drill.WaitPartWayAsync(campaignId, ct);

        var strike = Stopwatch.StartNew();
        await GraphResources.CommandAsync(drill.App, "postgres", KnownResourceCommands.StopCommand, ct);
        await drill.App.ResourceNotifications.WaitForResourceAsync("postgres",
            e => e.Snapshot.State?.Text is "Finished" or "Exited" or "FailedToStart", ct);
        // The outage itself, not a wait for something to happen: Postgres stays down this long.
        await Task.Delay(Outage - strike.Elapsed, ct);
        await GraphResources.CommandAsync(drill.App, "postgres", KnownResourceCommands.StartCommand, ct);
        await drill.App.ResourceNotifications.WaitForResourceHealthyAsync("postgres", ct);
        var down = strike.Elapsed;
        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        Drill.Report($"Postgres stopped at {before.SentCount} sent / {before.PendingCount} pending / {before.SendingCount} sending, " +
            $"healthy again after {down.TotalSeconds:F1} s (lease 5 s): every message terminal {recovered.TotalSeconds:F1} s after the stop" +
            drill.PaceNote(before));
        var failed = (await drill.Db.MessagesAsync(campaignId, ct)).Values.Where(m => m.Status != "sent").ToList();
        Assert.True(failed.Count == 0,
            $"{failed.Count} message(s) not sent although the provider accepts every call, e.g. {string.Join("; ", failed.Take(3))}");
        await drill.AssertDeliveredAsync(campaignId, Drill.Messages, ct);
    }
}
