using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>Sending from the console: to a CSV uploaded in the page, the customers a send skipped, and pausing a large send mid-way.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SendInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sends_to_a_csv_imported_audience_and_the_progress_bar_reaches_100_percent()
    {
        using var api = app.CreateApiClient();
        var name = Unique.Name("Browser CSV");
        var campaign = (await api.CreateCampaignAsync(Ct, template: "Hi {first_name} from {location}!", name: name))["id"]!.GetValue<long>();
        var csv = new StringBuilder("phone,first_name,location\n");
        for (var i = 0; i < 30; i++)
        {
            csv.Append($"{Unique.KenyanPhone()},Guest {i},Kisumu\n");
        }
        csv.Append("not-a-phone,Broken,Kisumu\n");
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        await session.GotoAsync($"#/campaigns/{campaign}/send");
        await Expect(page.Locator("#picker-table tbody tr").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("audience-selected-customers");
        await page.GetByText("Upload a CSV").ClickAsync();
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload
        {
            Name = "audience.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await Expect(page.Locator(".import-result")).ToContainTextAsync("31 rows read: 30 created, 0 updated, 1 rejected");
        await Expect(page.Locator(".import-result table")).ToContainTextAsync("not-a-phone");
        await session.ScreenshotAsync("audience-csv-imported");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send to the 30 imported customers" }).ClickAsync();
        await Expect(page.Locator("#messages-queued")).ToHaveTextAsync("30 messages queued");
        await Expect(page.Locator(".send-outcome")).ToContainTextAsync("0 opted-out customers skipped");
        await session.ScreenshotAsync("audience-sent");

        await page.GetByRole(AriaRole.Link, new() { Name = "Watch the progress →" }).ClickAsync();
        await Expect(page.Locator(".progress-large")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 30_000 });
        await Expect(page.Locator(".title-line .badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(sent|failed)$"));
        await Expect(page.Locator("#messages-table tbody tr")).ToHaveCountAsync(20);
        await session.ScreenshotAsync("campaign-sent");

        // The list shows the same: a full bar for the campaign.
        await session.GotoAsync("#/campaigns");
        var row = page.Locator($"#campaigns-table tr[data-campaign-id='{campaign}']");
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100");
        await session.ScreenshotAsync("campaigns-list");
        await page.SetViewportSizeAsync(390, 844);
        await session.ScreenshotAsync("campaigns-list-narrow");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_send_answer_counts_the_customers_skipped_as_opted_out_and_as_suppressed_on_the_channel()
    {
        using var api = app.CreateApiClient();
        var location = Unique.Name("town");
        await app.Database.InsertCustomerAsync(Ct, location: location);
        await app.Database.InsertCustomerAsync(Ct, location: location, optedOut: true);
        var suppressed = Unique.KenyanPhone();
        await app.Database.InsertCustomerAsync(Ct, phone: suppressed, location: location);
        (await api.PostJsonAsync("/suppressions", new { phone = suppressed, channel = "sms" }, Ct)).Expect(HttpStatusCode.Created);
        var campaign = (await api.CreateCampaignAsync(Ct, name: Unique.Name("Browser skipped")))["id"]!.GetValue<long>();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        await session.GotoAsync($"#/campaigns/{campaign}/send");
        await page.GetByText("Customers matching a filter").ClickAsync();
        await page.GetByLabel("Location").FillAsync(location);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to every matching customer" }).ClickAsync();

        await Expect(page.Locator("#messages-queued")).ToHaveTextAsync("1 message queued");
        await Expect(page.Locator("#send-skipped")).ToContainTextAsync(
            "1 opted-out customer skipped · 1 customer suppressed on the channel skipped · 0 customers at their daily message limit skipped · the campaign is ");
        await session.ScreenshotAsync("audience-sent-skipped");
        var messages = (await api.GetJsonAsync($"/campaigns/{campaign}/messages", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
        Assert.Single(messages);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Pauses_a_large_campaign_mid_way_and_resumes_it()
    {
        using var api = app.CreateApiClient();
        var location = Unique.Name("town");
        const int recipients = 5_000;
        await app.Database.InsertCustomersAsync(recipients, Ct, location: location);
        var name = Unique.Name("Browser pause");
        var campaign = (await api.CreateCampaignAsync(Ct, name: name))["id"]!.GetValue<long>();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        // Everyone matching a filter: the customers of one (unique) location.
        await session.GotoAsync($"#/campaigns/{campaign}/send");
        await page.GetByText("Customers matching a filter").ClickAsync();
        await page.GetByLabel("Location").FillAsync(location);
        await session.ScreenshotAsync("audience-filter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to every matching customer" }).ClickAsync();
        await Expect(page.Locator("#messages-queued")).ToHaveTextAsync("5,000 messages queued");
        await page.GetByRole(AriaRole.Link, new() { Name = "Watch the progress →" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        var badge = page.Locator(".title-line .badge");
        await Expect(badge).ToHaveTextAsync("paused");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToHaveCountAsync(0);
        // Paused mid-way: sends in flight settle, the rest waits.
        var pending = (await api.GetJsonAsync($"/campaigns/{campaign}", Ct)).Json["stats"]!["pending"]!.GetValue<int>();
        Assert.True(pending > 0, "The campaign finished before the pause: nothing was left to pause");
        var bar = page.Locator(".progress-large");
        var pausedAt = int.Parse((await bar.GetAttributeAsync("aria-valuenow"))!);
        Assert.InRange(pausedAt, 0, 99);
        await session.ScreenshotAsync("campaign-paused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(badge).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(sending|sent)$"));
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 45_000 });
        await Expect(badge).ToHaveTextAsync("sent");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToHaveCountAsync(0);
        await session.ScreenshotAsync("campaign-resumed-and-sent");
        // Messages by status, last_error in view (a few usually fail for good at the mock provider's 92%).
        await page.GetByLabel("Status").SelectOptionAsync("failed");
        await Expect(page.Locator("#messages-table tbody tr").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("campaign-failed-messages");
        session.AssertNoScriptErrors();
    }
}
