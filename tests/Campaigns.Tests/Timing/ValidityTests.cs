using System.Net;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Timing;

/// <summary>
/// api.md Part 2, "Timing", validity through the running graph: the deadline is fixed at dispatch; a message not
/// handed to a provider by then becomes <c>expired</c> within 30 s (the worker's sweep: messages waiting for a
/// window, in a paused campaign too) and is never sent; the campaign completes around it.
/// </summary>
public sealed class ValidityTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private async Task<long> CampaignAsync(TestWindows windows, string validity) =>
        (await _api.PostJsonAsync("/campaigns", new
        {
            name = Unique.Name("validity"), channel = "sms", base_template = "Hi {first_name}", send_window = windows.Window, validity,
        }, Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

    [Fact]
    public async Task A_message_still_waiting_at_the_deadline_expires_and_the_campaign_completes_around_it()
    {
        var windows = TestWindows.AroundNow();
        var here = await fixture.Database.CustomerInAsync(Ct, windows.OpenZone);
        var there = await fixture.Database.CustomerInAsync(Ct, windows.ClosedZone);
        var campaign = await CampaignAsync(windows, "PT10S"); // room for a cold worker and a retry of the open zone's message

        var before = DateTime.UtcNow;
        (await _api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = new[] { here, there } }, Ct)).Expect(HttpStatusCode.Accepted);
        var dispatched = (await _api.GetJsonAsync($"/campaigns/{campaign}", Ct)).Expect(HttpStatusCode.OK).Json;
        var delivery = new DeliveryDatabase(fixture.Database);
        var finished = await delivery.WaitUntilNotAsync(campaign, "sending", TimeSpan.FromSeconds(10) + Within, Ct);

        var validUntil = dispatched["valid_until"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(validUntil - before, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(20));
        Assert.Equal("sent", finished.Status); // one was accepted by a provider
        Assert.Equal((1, 1), (finished.SentCount, finished.ExpiredCount));
        var expired = (await _api.GetJsonAsync($"/campaigns/{campaign}/messages/{await fixture.Database.MessageOfAsync(Ct, campaign, there)}", Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("expired", expired["status"]!.GetValue<string>());
        Assert.Null(expired["not_before"]);
        var events = (await _api.GetJsonAsync($"/campaigns/{campaign}/messages/{expired["id"]}/events", Ct)).Expect(HttpStatusCode.OK).Json["data"]!;
        Assert.Equal(["queued", "expired"], events.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal([await fixture.Database.MessageOfAsync(Ct, campaign, here)], (await delivery.CallsAsync(campaign, Ct)).Select(c => c.MessageId).Distinct()); // the mock fails some attempts at random: retries are calls too
        await delivery.AssertCountersMatchAsync(campaign, Ct);
        // The deadline never moves.
        var after = (await _api.GetJsonAsync($"/campaigns/{campaign}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(validUntil, after["valid_until"]!.GetValue<DateTime>().ToUniversalTime());
    }

    [Fact]
    public async Task A_paused_campaign_expires_too_and_every_message_expired_makes_it_failed_on_resume()
    {
        var windows = TestWindows.AroundNow();
        var there = await fixture.Database.CustomerInAsync(Ct, windows.ClosedZone);
        var campaign = await CampaignAsync(windows, "PT2S");

        (await _api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = new[] { there } }, Ct)).Expect(HttpStatusCode.Accepted);
        (await _api.PostJsonAsync($"/campaigns/{campaign}/pause", null, Ct)).Expect(HttpStatusCode.OK);
        var message = await fixture.Database.MessageOfAsync(Ct, campaign, there);
        await fixture.Database.WaitForStatusAsync(message, "expired", TimeSpan.FromSeconds(2) + Within, Ct);

        var paused = (await _api.GetJsonAsync($"/campaigns/{campaign}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Equal((1, 0, 0), (paused["stats"]!["expired"]!.GetValue<int>(), paused["stats"]!["pending"]!.GetValue<int>(),
            paused["stats"]!["waiting"]!.GetValue<int>()));
        (await _api.PostJsonAsync($"/campaigns/{campaign}/resume", null, Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal("failed", (await new DeliveryDatabase(fixture.Database).WaitUntilNotAsync(campaign, "sending", Within, Ct)).Status);
        Assert.Empty(await new DeliveryDatabase(fixture.Database).CallsAsync(campaign, Ct));
    }
}
