using System.Globalization;
using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>Receipts in the console: the campaign's delivery counters and rates, and a message's timeline.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReceiptsInBrowserTests(AppFixture app, BrowserFixture browser)
{
    [GeneratedRegex(@"/messages/\d+/events\?")]
    private static partial Regex EventsRequest();

    [Fact]
    public async Task The_campaign_page_counts_receipts_and_a_message_shows_its_timeline_oldest_first()
    {
        var scene = new ReceiptScene(app.Database);
        var (campaign, sent) = await scene.SentCampaignAsync(5);
        var at = DateTime.UtcNow;
        // Read after delivered; delivered; undelivered; expired (Twilio's failed with 30036); the fifth has no receipt.
        await scene.StoreAndApplyAsync(
        [
            new(sent[0].ProviderMessageId, "delivered", "delivered", null, at.AddSeconds(2)),
            new(sent[0].ProviderMessageId, "read", "read", null, at.AddSeconds(5)),
            new(sent[1].ProviderMessageId, "delivered", "delivered", null, at.AddSeconds(3)),
            new(sent[2].ProviderMessageId, "undelivered", "undelivered", "30003", at.AddSeconds(3)),
            new(sent[3].ProviderMessageId, "expired", "failed", "30036", at.AddSeconds(4)),
        ]);
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        // Two events a page, so the five of the timeline take three pages.
        await page.RouteAsync(EventsRequest(), route => route.ContinueAsync(new() { Url = route.Request.Url.Replace("page_size=50", "page_size=2") }));

        await session.GotoAsync($"#/campaigns/{campaign}");
        var stats = page.Locator(".stats");
        await Expect(stats.Locator(".stat-total .stat-value")).ToHaveTextAsync("5");
        await Expect(stats.Locator(".stat-sent .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-delivered .stat-value")).ToHaveTextAsync("2");
        await Expect(stats.Locator(".stat-undelivered .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-expired .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-read .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-read .stat-note")).ToHaveTextAsync("50% of delivered");
        await Expect(stats.Locator(".stat-delivery-rate .stat-value")).ToHaveTextAsync("66.7%");
        await Expect(stats.Locator(".stat-delivery-rate .stat-note")).ToHaveTextAsync("2 of 3 with a receipt");
        var bar = page.Locator(".progress-large");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(bar).ToContainTextAsync("4 sent (2 delivered, 1 undelivered)");

        var rows = page.Locator("#messages-table tbody tr");
        await page.GetByLabel("Status").SelectOptionAsync("undelivered");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("code 30003");
        await page.GetByLabel("Status").SelectOptionAsync("delivered");
        await Expect(rows).ToHaveCountAsync(2);
        var readRow = page.Locator($"#messages-table tr[data-message-id='{sent[0].Id}']");
        await Expect(readRow).ToContainTextAsync("Twilio");
        await Expect(readRow.Locator(".receipt-time")).ToHaveCountAsync(2);
        await Expect(readRow.Locator(".receipt-time").Last).ToContainTextAsync("Read");
        await session.ScreenshotAsync("campaign-receipts");

        // A click anywhere on the row opens the message.
        await readRow.Locator(".message-text").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/campaigns/{campaign}/messages/{sent[0].Id}$"));
        await Expect(page.Locator(".title-line .badge")).ToHaveTextAsync("delivered");
        var details = page.Locator("#message-details");
        await Expect(details).ToContainTextAsync(sent[0].ProviderMessageId);
        await Expect(details).ToContainTextAsync("Twilio");

        var items = page.Locator("#message-timeline .timeline-item");
        var more = page.GetByRole(AriaRole.Button, new() { Name = "Load more events" });
        await Expect(items).ToHaveCountAsync(2);
        await more.ClickAsync();
        await Expect(items).ToHaveCountAsync(4);
        await more.ClickAsync();
        await Expect(items).ToHaveCountAsync(5);
        await Expect(more).ToBeHiddenAsync();
        await Expect(page.Locator(".timeline-foot")).ToContainTextAsync("5 of 5 events");

        var types = await page.Locator("#message-timeline .badge").EvaluateAllAsync<string[]>("badges => badges.map(b => b.dataset.type)");
        Assert.Equal(["queued", "claimed", "sent", "delivered", "read"], types);
        var times = (await page.Locator("#message-timeline time").EvaluateAllAsync<string[]>("times => times.map(t => t.dateTime)"))
            .Select(t => DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)).ToList();
        Assert.Equal(times.Order(), times);
        await Expect(items.Nth(2)).ToContainTextAsync(sent[0].ProviderMessageId);
        await Expect(items.Nth(2)).ToContainTextAsync("Twilio");
        await Expect(items.Nth(4)).ToContainTextAsync("Read by the recipient");
        await session.ScreenshotAsync("message-timeline");
        session.AssertNoScriptErrors();
    }
}
