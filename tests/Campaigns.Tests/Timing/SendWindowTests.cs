using System.Net;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Timing;

/// <summary>
/// api.md Part 2, "Timing", send windows through the running graph: a recipient whose window is open now is sent
/// at once; one whose window opens later waits (pending, <c>not_before</c> its opening, counted in
/// <c>stats.waiting</c>) and is never handed to a provider before it; the campaign goes on sending.
/// </summary>
public sealed class SendWindowTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_window_open_in_one_zone_sends_there_now_and_waits_for_the_other_zones_opening()
    {
        var windows = TestWindows.AroundNow();
        var here = await fixture.Database.CustomerInAsync(Ct, windows.OpenZone);
        var there = await fixture.Database.CustomerInAsync(Ct, windows.ClosedZone);
        var campaign = (await _api.PostJsonAsync("/campaigns",
            new { name = Unique.Name("window"), channel = "sms", base_template = "Hi {first_name}", send_window = windows.Window }, Ct))
            .Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

        var sent = (await _api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = new[] { here, there } }, Ct))
            .Expect(HttpStatusCode.Accepted).Json;
        Assert.Equal(2, sent["messages_queued"]!.GetValue<int>());
        var delivery = new DeliveryDatabase(fixture.Database);
        var hereMessage = await fixture.Database.MessageOfAsync(Ct, campaign, here);
        var thereMessage = await fixture.Database.MessageOfAsync(Ct, campaign, there);
        await fixture.Database.WaitForStatusAsync(hereMessage, "sent", TimeSpan.FromSeconds(30), Ct);

        var waiting = (await _api.GetJsonAsync($"/campaigns/{campaign}/messages/{thereMessage}", Ct)).Expect(HttpStatusCode.OK).Json;
        var sentOne = (await _api.GetJsonAsync($"/campaigns/{campaign}/messages/{hereMessage}", Ct)).Expect(HttpStatusCode.OK).Json;
        var stats = (await _api.GetJsonAsync($"/campaigns/{campaign}", Ct)).Expect(HttpStatusCode.OK).Json["stats"]!;

        Assert.Equal("pending", waiting["status"]!.GetValue<string>());
        Assert.Equal(windows.ClosedZoneOpensAt, waiting["not_before"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(0, waiting["retry_count"]!.GetValue<int>()); // waiting uses no attempt
        Assert.Null(sentOne["not_before"]);
        Assert.Equal((1, 1, 1), (stats["pending"]!.GetValue<int>(), stats["waiting"]!.GetValue<int>(), stats["sent"]!.GetValue<int>()));
        Assert.Equal("sending", (await delivery.CampaignAsync(campaign, Ct)).Status);
        Assert.Equal([hereMessage], (await delivery.CallsAsync(campaign, Ct)).Select(c => c.MessageId).Distinct()); // the mock fails some attempts at random: retries are calls too
        // No job carries it: the retry driver's sweep queues it when it is due, not before.
        Assert.Null(await fixture.Database.ScalarAsync<DateTime?>("SELECT queued_at FROM outbound_messages WHERE id = @thereMessage",
            new { thereMessage }, Ct));
    }

    [Fact]
    public async Task A_window_on_other_days_only_waits_for_the_next_of_those_days()
    {
        var windows = TestWindows.AroundNow();
        var customer = await fixture.Database.CustomerInAsync(Ct, windows.OpenZone);
        var today = DateTime.UtcNow.AddHours(12 - DateTime.UtcNow.Hour).DayOfWeek; // the open zone's local day
        var tomorrow = (DayOfWeek)(((int)today + 1) % 7);
        var day = tomorrow.ToString()[..3].ToLowerInvariant();
        var campaign = (await _api.PostJsonAsync("/campaigns", new
        {
            name = Unique.Name("window-days"), channel = "sms", base_template = "Hi",
            send_window = new { start = windows.Start, end = windows.End, days = new[] { day } },
        }, Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

        (await _api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);
        var message = await fixture.Database.MessageOfAsync(Ct, campaign, customer);
        var notBefore = (await _api.GetJsonAsync($"/campaigns/{campaign}/messages/{message}", Ct)).Expect(HttpStatusCode.OK)
            .Json["not_before"]!.GetValue<DateTime>().ToUniversalTime();

        // Open now by the hour, but not today: tomorrow at the window's start, local time (the zone is 12 - hour east).
        var offset = TimeSpan.FromHours(12 - DateTime.UtcNow.Hour);
        var localTomorrowStart = (DateTime.UtcNow + offset).Date.AddDays(1) + TimeSpan.Parse(windows.Start, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(localTomorrowStart - offset, notBefore);
    }
}
