using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// Postgres crashes in place mid-campaign (one backend SIGKILLed: the postmaster drops every connection,
/// recovers and comes back with the data): the worker rides it out without restarting, and every
/// message still ends terminal.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class PostgresCrashDrillTests
{
    [Fact]
    public async Task Postgres_crashed_mid_campaign_the_worker_keeps_running_and_every_message_ends_terminal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(null, ct);
        var campaignId = await drill.SendCampaignAsync(ct);
        var before = await drill.WaitPartWayAsync(campaignId, ct);
        var launcher = GraphResources.LauncherPid(drill.App, "worker");
        var worker = GraphResources.AppPid(drill.App, "worker");

        var strike = Stopwatch.StartNew();
        await using (var victim = await drill.Database.OpenConnectionAsync(ct))
        {
            var backend = await victim.ExecuteScalarAsync<int>(new CommandDefinition("SELECT pg_backend_pid()", cancellationToken: ct));
            using var process = Process.GetProcessById(backend);
            process.Kill();
        }
        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        Drill.Report($"Postgres crash (backend SIGKILL) at {before.SentCount} sent / {before.PendingCount} pending / {before.SendingCount} sending: " +
            $"every message terminal {recovered.TotalSeconds:F1} s after the crash" + drill.PaceNote(before));
        Assert.Equal(KnownResourceStates.Running, GraphResources.StateOf(drill.App, "worker"));
        Assert.Equal(launcher, GraphResources.LauncherPid(drill.App, "worker"));
        Assert.Equal(worker, GraphResources.AppPid(drill.App, "worker"));
        await Drill.TolerantAsync(async () =>
        {
            await drill.AssertDeliveredAsync(campaignId, Drill.Messages, ct);
            return true;
        }, ct);
    }
}
