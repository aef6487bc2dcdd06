using System.Net;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>
/// The console and the API reference work under the policies their responses carry: Chromium enforces
/// them and reports every violation on the console, which the session counts as an error.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_console_page_runs_under_its_policy_without_a_violation()
    {
        using var api = app.CreateApiClient();
        var campaign = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        var document = await page.GotoAsync("/#/campaigns");
        Assert.Contains("frame-ancestors 'none'", await document!.HeaderValueAsync("content-security-policy"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaigns", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".progress").First).ToBeVisibleAsync();
        await session.GotoAsync("#/campaigns/new");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New campaign" })).ToBeVisibleAsync();
        await session.GotoAsync("#/customers");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers" })).ToBeVisibleAsync();
        await session.GotoAsync("#/suppressions");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Suppressions" })).ToBeVisibleAsync();
        await Expect(page.Locator(".pager")).ToBeVisibleAsync();
        await session.GotoAsync("#/inbound");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbound messages" })).ToBeVisibleAsync();
        await Expect(page.Locator(".pager")).ToBeVisibleAsync();
        await session.GotoAsync($"#/campaigns/{campaign}");
        await Expect(page.Locator(".progress")).ToBeVisibleAsync();

        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_api_reference_renders_under_its_policy_without_a_violation()
    {
        await using var session = await ConsoleSession.OpenAsync(browser, app, signedIn: false);
        var page = session.Page;

        var document = await page.GotoAsync("/scalar");
        Assert.Equal((int)HttpStatusCode.OK, document!.Status);
        Assert.Contains("'nonce-", await document.HeaderValueAsync("content-security-policy"));
        await Expect(page.GetByText("List campaigns, newest first, with stats").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("api-reference");

        session.AssertNoScriptErrors();
    }
}
