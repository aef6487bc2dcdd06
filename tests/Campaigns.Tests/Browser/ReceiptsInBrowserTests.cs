using System.Globalization;
using System.Text.RegularExpressions;
using Campaigns.Core.Domain;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.StateMachine;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>Receipts in the console: the campaign's delivery counters and rates, and a message's timeline.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReceiptsInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private const string Provider = ProviderName.Twilio;

    [GeneratedRegex(@"/messages/\d+/events\?")]
    private static partial Regex EventsRequest();

    /// <summary>One receipt, applied before the next is stored: each its own webhook call, in this order.</summary>
    private static async Task ReceiveAsync(ReceiptScene receipts, string providerMessageId, string kind, string providerStatus,
        string? errorCode = null)
    {
        await receipts.StoreAsync(Provider, providerMessageId, kind, providerStatus, errorCode);
        await receipts.AppliedAsync(Provider, providerMessageId);
    }

    [Fact]
    public async Task The_campaign_page_counts_receipts_and_a_message_shows_its_timeline_oldest_first()
    {
        // Five messages in flight and one more pending (so the campaign stays sending), the five accepted by Twilio.
        var receipts = new ReceiptScene(app.Database);
        var (campaign, messages) = await receipts.InFlightAsync(sending: 5);
        var sent = new List<(long Id, string ProviderMessageId)>();
        foreach (var id in messages)
        {
            sent.Add((id, await receipts.AcceptedAsync(id, Provider)));
        }
        // Delivered then read; delivered; undelivered; expired (Twilio's failed with 30036); the fifth has no receipt.
        await ReceiveAsync(receipts, sent[0].ProviderMessageId, "delivered", "delivered");
        await ReceiveAsync(receipts, sent[0].ProviderMessageId, "read", "read");
        await ReceiveAsync(receipts, sent[1].ProviderMessageId, "delivered", "delivered");
        await ReceiveAsync(receipts, sent[2].ProviderMessageId, "undelivered", "undelivered", "30003");
        await ReceiveAsync(receipts, sent[3].ProviderMessageId, "expired", "failed", "30036");
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        // Two events a page, so the four of the timeline take two pages.
        await page.RouteAsync(EventsRequest(), route => route.ContinueAsync(new() { Url = route.Request.Url.Replace("page_size=50", "page_size=2") }));

        await session.GotoAsync($"#/campaigns/{campaign}");
        var stats = page.Locator(".stats");
        await Expect(stats.Locator(".stat-total .stat-value")).ToHaveTextAsync("6");
        await Expect(stats.Locator(".stat-sent .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-delivered .stat-value")).ToHaveTextAsync("2");
        await Expect(stats.Locator(".stat-undelivered .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-expired .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-read .stat-value")).ToHaveTextAsync("1");
        await Expect(stats.Locator(".stat-read .stat-note")).ToHaveTextAsync("50% of delivered");
        await Expect(stats.Locator(".stat-delivery-rate .stat-value")).ToHaveTextAsync("66.7%");
        await Expect(stats.Locator(".stat-delivery-rate .stat-note")).ToHaveTextAsync("2 of 3 with a receipt");
        var bar = page.Locator(".progress-large");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "83");
        await Expect(bar).ToContainTextAsync("83% · 4 sent (2 delivered, 1 undelivered) · 0 failed · 1 expired · 1 pending of 6");

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
        await Expect(page.Locator(".timeline-foot")).ToContainTextAsync("2 of 4 events");
        await more.ClickAsync();
        await Expect(items).ToHaveCountAsync(4);
        await Expect(more).ToBeHiddenAsync();
        await Expect(page.Locator(".timeline-foot")).ToContainTextAsync("4 of 4 events");

        var types = await page.Locator("#message-timeline .badge").EvaluateAllAsync<string[]>("badges => badges.map(b => b.dataset.type)");
        Assert.Equal(["queued", "sent", "delivered", "read"], types);
        var times = (await page.Locator("#message-timeline time").EvaluateAllAsync<string[]>("times => times.map(t => t.dateTime)"))
            .Select(t => DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)).ToList();
        Assert.Equal(times.Order(), times);
        await Expect(items.Nth(1)).ToContainTextAsync(sent[0].ProviderMessageId);
        await Expect(items.Nth(1)).ToContainTextAsync("Twilio");
        await Expect(items.Nth(3)).ToContainTextAsync("Read by the recipient");
        await session.ScreenshotAsync("message-timeline");
        session.AssertNoScriptErrors();
    }
}
