using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Core.Queue;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// The API dies between committing a send and queueing its jobs (fault injection
/// <c>Faults:CrashAfterCommitBeforeEnqueue</c>): the messages exist, no job does, and the worker's
/// retry driver still delivers them once the requeue horizon (3 s here) has passed.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class ApiCrashDrillTests
{
    [Fact]
    public async Task Api_killed_between_commit_and_enqueue_the_messages_are_still_delivered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(builder => builder
            .CreateResourceBuilder<ProjectResource>("api")
            .WithEnvironment("Faults__CrashAfterCommitBeforeEnqueue", "true"), ct);
        var (campaignId, customers) = await drill.PrepareAsync(ct);

        var sentAt = await drill.Database.ScalarAsync<DateTime>("SELECT clock_timestamp()", null, ct);
        var strike = Stopwatch.StartNew();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                var response = await drill.SendAsync(campaignId, customers, timeout.Token);
                Assert.NotEqual(HttpStatusCode.Accepted, response.Status);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // The connection died with the process, as it should.
            }
        }
        await drill.App.ResourceNotifications.WaitForResourceAsync("api",
            e => e.Snapshot.State?.Text is "Finished" or "Exited", ct);

        // Committed, but not one job queued.
        Assert.Equal(Drill.Messages, await drill.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, ct));
        var redis = await drill.RedisAsync(ct);
        Assert.All(await Task.WhenAll(CampaignsGraph.Queue.Keys.Select(shard => redis.StreamLengthAsync(shard))).WaitAsync(ct),
            length => Assert.Equal(0, length));

        var recovered = await drill.WaitAllTerminalAsync(campaignId, strike, ct);
        var firstCall = await drill.Database.ScalarAsync<DateTime>("""
            SELECT min(s.called_at) FROM sender_calls s JOIN outbound_messages m ON m.id = s.outbound_message_id
            WHERE m.campaign_id = @campaignId
            """, new { campaignId }, ct);
        Drill.Report($"API killed after commit, before enqueue ({Drill.Messages} messages, no job queued): " +
            $"first provider call {(firstCall - sentAt).TotalSeconds:F1} s after the send (requeue horizon 3 s), " +
            $"every message terminal {recovered.TotalSeconds:F1} s after it");
        await drill.AssertDeliveredAsync(campaignId, Drill.Messages, ct);
    }
}
