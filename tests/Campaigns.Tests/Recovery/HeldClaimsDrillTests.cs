using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// Claims a worker holds but has not sent: under a 1 msg/s sms cap a 512-message batch is claimed at once
/// and waits for permits, so a pause or cancel must reach claims already taken; and a batch that fails
/// after its claim (an injected fault, once per batch for three batches) must hand its claims back
/// without charging an attempt. One attempt per message and a provider that accepts every call, so any attempt charged shows as a failure.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class HeldClaimsDrillTests
{
    private const string FaultyPhones = "+25479992";
    private static readonly TimeSpan HandBackTimeout = TimeSpan.FromSeconds(15);

    private static Task<Drill> StartAsync(CancellationToken cancellationToken) => Drill.StartAsync(builder =>
        builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("Channels__Sms__MessagesPerSecond", "1")
            .WithEnvironment("Channels__Sms__Burst", "1")
            .WithEnvironment("Worker__BatchSize", "512")
            .WithEnvironment("Worker__Concurrency", "512")
            .WithEnvironment("Worker__MaxAttempts", "1")
            .WithEnvironment("Sender__SuccessRate", "1")
            .WithEnvironment("Faults__FailBatches", "3")
            .WithEnvironment("Faults__FailBatchesForPhones", "^" + System.Text.RegularExpressions.Regex.Escape(FaultyPhones)),
        cancellationToken);

    [Fact]
    public async Task Pause_and_cancel_stop_every_claim_that_waits_for_permits()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await StartAsync(ct);
        var (campaignId, customers) = await drill.PrepareAsync(ct, messages: 300);
        (await drill.SendAsync(campaignId, customers, ct)).Expect(HttpStatusCode.Accepted);
        await WaitForSentAsync(drill, campaignId, 2, ct);

        (await drill.Api.PostJsonAsync($"/campaigns/{campaignId}/pause", null, ct)).Expect(HttpStatusCode.OK);
        var pausedAt = await drill.Database.ScalarAsync<DateTime>("SELECT now()", null, ct);
        var handedBack = await WaitNothingSendingAsync(drill, campaignId, ct);
        var messages = await drill.Db.MessagesAsync(campaignId, ct);
        Assert.All(messages.Values.Where(m => m.Status == "pending"), m => Assert.Equal(0, m.RetryCount));
        Assert.DoesNotContain(await drill.Db.CallsAsync(campaignId, ct), c => c.CalledAt > pausedAt);
        await drill.Db.AssertCountersMatchAsync(campaignId, ct);
        var sentAtPause = messages.Values.Count(m => m.Status == "sent");

        (await drill.Api.PostJsonAsync($"/campaigns/{campaignId}/resume", null, ct)).Expect(HttpStatusCode.OK);
        await WaitForSentAsync(drill, campaignId, sentAtPause + 2, ct);
        (await drill.Api.PostJsonAsync($"/campaigns/{campaignId}/cancel", null, ct)).Expect(HttpStatusCode.OK);
        var cancelledAt = await drill.Database.ScalarAsync<DateTime>("SELECT now()", null, ct);
        var cancelled = await WaitNothingSendingAsync(drill, campaignId, ct);

        var counts = await drill.Db.StatusCountsAsync(campaignId, ct);
        Assert.Equal(customers.Length, counts.GetValueOrDefault("sent") + counts.GetValueOrDefault("cancelled"));
        Assert.DoesNotContain(await drill.Db.CallsAsync(campaignId, ct), c => c.CalledAt > cancelledAt);
        Assert.Equal("cancelled", (await drill.Db.CampaignAsync(campaignId, ct)).Status);
        await drill.Db.AssertCountersMatchAsync(campaignId, ct);
        Drill.Report($"pause: {sentAtPause} sent, held claims handed back {handedBack.TotalSeconds:F1} s after; " +
            $"cancel: {counts.GetValueOrDefault("sent")} sent, {counts.GetValueOrDefault("cancelled")} cancelled, held claims cancelled {cancelled.TotalSeconds:F1} s after");
    }

    [Fact]
    public async Task Claims_of_a_failed_batch_go_back_without_an_attempt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await StartAsync(ct);
        var customers = await drill.Database.InsertCustomersAsync(40, ct, phonePrefix: FaultyPhones);
        var campaignId = (await drill.Api.CreateCampaignAsync(ct, channel: "whatsapp"))["id"]!.GetValue<long>();
        (await drill.SendAsync(campaignId, customers, ct)).Expect(HttpStatusCode.Accepted);

        await drill.WaitAllTerminalAsync(campaignId, Stopwatch.StartNew(), ct);

        var messages = await drill.Db.MessagesAsync(campaignId, ct);
        Assert.All(messages.Values, m => Assert.Equal(("sent", 0, (string?)null), (m.Status, m.RetryCount, m.LastError)));
        await drill.AssertDeliveredAsync(campaignId, customers.Length, ct, extraCallsAllowed: 0);
    }

    private static async Task WaitForSentAsync(Drill drill, long campaignId, int sent, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await drill.Db.CampaignAsync(campaignId, deadline.Token)).SentCount < sent)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Polls until no message of the campaign is held (sending); how long that took.</summary>
    private static async Task<TimeSpan> WaitNothingSendingAsync(Drill drill, long campaignId, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var counts = await drill.Db.StatusCountsAsync(campaignId, cancellationToken);
            if (counts.GetValueOrDefault("sending") == 0)
            {
                return waited.Elapsed;
            }
            Assert.True(waited.Elapsed < HandBackTimeout,
                $"{counts.GetValueOrDefault("sending")} message(s) still held {HandBackTimeout} after the campaign stopped");
            await Task.Delay(50, cancellationToken);
        }
    }
}
