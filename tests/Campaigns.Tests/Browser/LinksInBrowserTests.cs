using System.Net;
using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>Link tracking in compose: the checkbox sets <c>track_links</c>, edit shows it, and unticking it clears it.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LinksInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"#/campaigns/(\d+)$")]
    private static partial Regex CampaignPage();

    [Fact]
    public async Task Composes_a_campaign_that_tracks_its_links_then_edits_it_to_not()
    {
        using var api = app.CreateApiClient();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var name = Unique.Name("Browser links");

        await session.GotoAsync("#/campaigns/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}, see https://shop.example.com/sale today.");
        var track = page.GetByLabel("Track links (shorten each URL and count clicks)");
        await Expect(track).Not.ToBeCheckedAsync();
        await track.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        var id = long.Parse(CampaignPage().Match(page.Url).Groups[1].Value);
        Assert.True((await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json["track_links"]!.GetValue<bool>());

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(track).ToBeCheckedAsync();
        await track.UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        Assert.False((await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json["track_links"]!.GetValue<bool>());
        session.AssertNoScriptErrors();
    }
}
