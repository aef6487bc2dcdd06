using System.Net;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>The key dialog, and composing a campaign with the live preview (the API's encoding and segments).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposeInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Asks_for_the_key_and_composes_a_campaign_with_a_live_preview()
    {
        using var api = app.CreateApiClient();
        var firstName = $"Wanjiku{Random.Shared.Next(1000, 9999)}";
        var customer = (await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = firstName }, Ct))
            .Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();
        await using var session = await ConsoleSession.OpenAsync(browser, app, signedIn: false);
        var page = session.Page;

        // No key yet: the dialog asks; a wrong key is refused and asked again.
        await session.GotoAsync("#/campaigns/new");
        var keyInput = page.GetByLabel("Key", new() { Exact = true });
        await keyInput.FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("#key-dialog-message")).ToContainTextAsync("not accepted");
        await session.ScreenshotAsync("key-dialog");
        await keyInput.FillAsync(app.Graph.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("#key-dialog")).Not.ToBeVisibleAsync();

        var name = Unique.Name("Browser compose");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Customer", new() { Exact = true }).SelectOptionAsync(customer.ToString());
        var template = page.GetByLabel("Message", new() { Exact = true });
        await template.PressSequentiallyAsync("Hi ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert {first_name}" }).ClickAsync();
        await template.PressSequentiallyAsync("!");

        await Expect(page.Locator("#preview-text")).ToHaveTextAsync($"Hi {firstName}!");
        await Expect(page.Locator("#preview-encoding")).ToHaveTextAsync("GSM-7");
        await Expect(page.Locator("#preview-characters")).ToHaveTextAsync((4 + firstName.Length).ToString());
        await Expect(page.Locator("#preview-segments")).ToHaveTextAsync("1");
        // No translations: the message as written, in the campaign's default language.
        await Expect(page.Locator("#preview-language")).ToHaveTextAsync("en");

        // Past 160 GSM-7 characters the message takes two segments; an emoji makes it UCS-2.
        await template.PressSequentiallyAsync(" " + new string('x', 160));
        await Expect(page.Locator("#preview-segments")).ToHaveTextAsync("2");
        await template.PressSequentiallyAsync(" 🎉");
        await Expect(page.Locator("#preview-encoding")).ToHaveTextAsync("UCS-2");
        await Expect(page.Locator("#preview-segments")).ToHaveTextAsync("3");
        await session.ScreenshotAsync("compose-live-preview");

        // An unknown placeholder: the API's message appears beside the template.
        await template.FillAsync("Hi {coupon}");
        await Expect(page.Locator("#template-input-error")).ToContainTextAsync("coupon");
        await session.ScreenshotAsync("compose-template-error");

        await template.FillAsync("Hi {first_name}, see you in {location}.");
        await Expect(page.Locator("#template-input-error")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await Expect(page.Locator(".template")).ToHaveTextAsync("Hi {first_name}, see you in {location}.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Choose audience & send" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToHaveCountAsync(0);
        await session.ScreenshotAsync("campaign-draft");
        session.AssertNoScriptErrors();
    }
}
