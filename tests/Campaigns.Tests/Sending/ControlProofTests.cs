using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Recovery;

namespace Campaigns.Tests.Sending;

/// <summary>
/// Pause, resume and cancel proved from the mock provider's call record on the shared graph: once
/// pause or cancel has answered, only the sends already in flight reach the provider; across
/// pause/resume no message is called more often than its attempts.
/// </summary>
public sealed class ControlProofTests(AppFixture fixture)
{
    private const int Messages = 3_000;
    /// <summary>3 × (the shared graph's max mock latency 200 ms + retry-driver interval 250 ms), rounded up.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1.5);

    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly DeliveryDatabase _db = new(fixture.Database);

    [Fact]
    public async Task After_pause_no_call_is_made_and_resume_finishes_without_calling_any_message_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var campaignId = await SendAsync(ct);
        await WaitPartWayAsync(campaignId, ct);

        var paused = (await _api.PostJsonAsync($"/campaigns/{campaignId}/pause", null, ct)).Expect(HttpStatusCode.OK).Json;
        var pausedAt = AnsweredAt();
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        var (inFlight, pendingAtPause) = (Stat(paused, "sending"), Stat(paused, "pending"));
        Assert.True(pendingAtPause > 0, "The campaign finished before the pause");

        var settled = await WaitNothingSendingAsync(campaignId, ct);
        var callsAfterSettling = (await _db.CallsAsync(campaignId, ct)).Count;
        await AssertQuietAsync(campaignId, callsAfterSettling, settled.PendingCount, "paused", ct);
        AssertOnlyInFlightCalledAfter(await _db.CallsAsync(campaignId, ct), pausedAt, inFlight);

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/resume", null, ct)).Expect(HttpStatusCode.OK);
        var done = await _db.WaitUntilNotAsync(campaignId, "sending", TimeSpan.FromSeconds(60), ct);

        Assert.Equal("sent", done.Status);
        Assert.Equal(Messages, done.SentCount + done.FailedCount);
        await _db.AssertCountersMatchAsync(campaignId, ct);
        // No crash here: not even one extra call.
        var summary = CallEvidence.Assert(await _db.MessagesAsync(campaignId, ct), await _db.CallsAsync(campaignId, ct), extraCallsAllowed: 0);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Paused with {pendingAtPause} pending and {inFlight} in flight; {settled.PendingCount} still pending once settled; {summary}");
    }

    [Fact]
    public async Task After_cancel_no_call_is_made_and_every_pending_message_is_cancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        var campaignId = await SendAsync(ct);
        await WaitPartWayAsync(campaignId, ct);

        var cancelled = (await _api.PostJsonAsync($"/campaigns/{campaignId}/cancel", null, ct)).Expect(HttpStatusCode.OK).Json;
        var cancelledAt = AnsweredAt();
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        var inFlight = Stat(cancelled, "sending");
        Assert.Equal(0, Stat(cancelled, "pending"));
        Assert.True(Stat(cancelled, "cancelled") > 0, "The campaign finished before the cancel");

        var settled = await WaitNothingSendingAsync(campaignId, ct);
        var callsAfterSettling = (await _db.CallsAsync(campaignId, ct)).Count;
        await AssertQuietAsync(campaignId, callsAfterSettling, 0, "cancelled", ct);
        var calls = await _db.CallsAsync(campaignId, ct);
        AssertOnlyInFlightCalledAfter(calls, cancelledAt, inFlight);

        var counts = await _db.StatusCountsAsync(campaignId, ct);
        Assert.Equal(0, counts.GetValueOrDefault("pending") + counts.GetValueOrDefault("sending"));
        Assert.Equal(Messages, counts.Values.Sum());
        await _db.AssertCountersMatchAsync(campaignId, ct);
        Assert.Equal("cancelled", settled.Status);
        var messages = await _db.MessagesAsync(campaignId, ct);
        CallEvidence.Assert(messages, calls, extraCallsAllowed: 0);
        // A message cancelled before any attempt was never called.
        var called = calls.Select(c => c.MessageId).ToHashSet();
        Assert.All(messages.Values.Where(m => m.Status == "cancelled" && m.RetryCount == 0), m => Assert.DoesNotContain(m.Id, called));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Cancelled with {inFlight} in flight: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}; {calls.Count} calls");
    }

    private async Task<long> SendAsync(CancellationToken cancellationToken)
    {
        var customers = await fixture.Database.InsertCustomersAsync(Messages, cancellationToken);
        var campaignId = (await _api.CreateCampaignAsync(cancellationToken))["id"]!.GetValue<long>();
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, cancellationToken))
            .Expect(HttpStatusCode.Accepted);
        return campaignId;
    }

    private async Task WaitPartWayAsync(long campaignId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await _db.CampaignAsync(campaignId, deadline.Token)).SentCount < 100)
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    /// <summary>Polls until the sends in flight at the pause or cancel have finished and been recorded.</summary>
    private async Task<DeliveryDatabase.Campaign> WaitNothingSendingAsync(long campaignId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var campaign = await _db.CampaignAsync(campaignId, deadline.Token);
            if (campaign.SendingCount == 0)
            {
                return campaign;
            }
            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Polls through the quiet period: no new call, the pending count unchanged, the status kept.</summary>
    private async Task AssertQuietAsync(long campaignId, int calls, int pending, string status, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + QuietPeriod;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(100, cancellationToken);
            Assert.Equal(calls, (await _db.CallsAsync(campaignId, cancellationToken)).Count);
            var campaign = await _db.CampaignAsync(campaignId, cancellationToken);
            Assert.Equal(pending, campaign.PendingCount);
            Assert.Equal(0, campaign.SendingCount);
            Assert.Equal(status, campaign.Status);
        }
    }

    /// <summary>Calls recorded after the change committed belong only to messages that were in flight then.</summary>
    private static void AssertOnlyInFlightCalledAfter(List<DeliveryDatabase.Call> calls, DateTime changedAt, int inFlight)
    {
        var calledAfter = calls.Where(c => c.CalledAt >= changedAt).Select(c => c.MessageId).Distinct().Count();
        Assert.True(calledAfter <= inFlight, $"{calledAfter} message(s) called after the change, only {inFlight} were in flight");
    }

    private static int Stat(JsonNode campaign, string name) => campaign["stats"]![name]!.GetValue<int>();

    /// <summary>
    /// When the change's answer came: after its commit. Not its <c>updated_at</c>, the statement's start: on a loaded
    /// machine the change may wait for the claims in progress, and calls claimed before it committed then looked like
    /// calls after it (1,281 of them once, with 174 in flight). Postgres and the tests share this machine's clock.
    /// </summary>
    private static DateTime AnsweredAt() => DateTime.UtcNow;
}
