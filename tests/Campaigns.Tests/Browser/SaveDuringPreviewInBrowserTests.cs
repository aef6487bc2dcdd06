using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>
/// The first preview creates the campaign as a draft. A Save clicked while that creation is still on its way saves into
/// the draft it makes; a preview that falls due while Save creates the campaign creates nothing. Either way one
/// campaign, with every field of the form, never a second one beside it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SaveDuringPreviewInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"#/campaigns/(\d+)$")]
    private static partial Regex CampaignPage();

    [Fact]
    public async Task Save_while_the_preview_creates_the_draft_saves_that_draft_and_no_second_campaign()
    {
        using var api = app.CreateApiClient();
        // A customer to preview for, so the preview makes a draft.
        await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = "Wanjiru" }, Ct);
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var name = Unique.Name("Browser save during preview");

        // The preview's creation of the draft is held on its way until Save has been clicked.
        var draftRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saveClicked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/campaigns", async route =>
        {
            if (route.Request.Method == "POST" && draftRequested.TrySetResult())
            {
                await saveClicked.Task;
            }
            await route.ContinueAsync();
        });

        await session.GotoAsync("#/campaigns/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}, see https://shop.example.com/sale today.");
        await draftRequested.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await page.GetByLabel("Track links (shorten each URL and count clicks)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        saveClicked.SetResult();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        var id = long.Parse(CampaignPage().Match(page.Url).Groups[1].Value);
        await using var connection = await app.Database.OpenConnectionAsync(Ct);
        var campaigns = (await connection.QueryAsync<(long Id, bool TrackLinks)>(new CommandDefinition(
            "SELECT id, track_links FROM campaigns WHERE name = @name", new { name }, cancellationToken: Ct))).ToList();
        Assert.Equal([(id, true)], campaigns);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_preview_due_while_save_creates_the_campaign_creates_no_second_one_and_leaves_the_address_to_save()
    {
        using var api = app.CreateApiClient();
        await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = "Achieng" }, Ct);
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var name = Unique.Name("Browser preview during save");

        // The page's timers stand still until the test moves them: the preview's debounce falls due when the test says.
        await page.Clock.InstallAsync();
        await page.Clock.PauseAtAsync(DateTime.UtcNow.AddMinutes(1));
        // Save's creation (the first POST) is held on its way until the preview has fallen due; every POST is counted.
        var posts = 0;
        var saveRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previewDue = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/campaigns", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref posts) == 1)
            {
                saveRequested.SetResult();
                await previewDue.Task;
            }
            await route.ContinueAsync();
        });

        await session.GotoAsync("#/campaigns/new");
        // A customer to preview for, so a preview that runs would create a draft.
        await Expect(page.GetByLabel("Customer", new() { Exact = true })).ToBeEnabledAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}, our sale starts today.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await saveRequested.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await page.Clock.RunForAsync(1_000);
        await page.Clock.ResumeAsync();
        previewDue.SetResult();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        var id = long.Parse(CampaignPage().Match(page.Url).Groups[1].Value);
        await using var connection = await app.Database.OpenConnectionAsync(Ct);
        var campaigns = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE name = @name", new { name }, cancellationToken: Ct))).ToList();
        Assert.Equal([id], campaigns);
        Assert.Equal(1, posts);
        session.AssertNoScriptErrors();
    }
}
