using Campaigns.Tests.Consent;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>The suppressions page: add (201, then 200 for the same), the API's validation errors, search by phone, remove.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SuppressionsInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adds_a_suppression_finds_it_by_phone_and_removes_one_channel_then_every_channel()
    {
        var phone = Unique.KenyanPhone();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var confirmations = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            confirmations.Add(dialog.Message);
            await dialog.AcceptAsync();
        };

        await session.GotoAsync("#/suppressions");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Suppress a phone" });
        var suppress = form.GetByRole(AriaRole.Button, new() { Name = "Suppress" });
        var outcome = form.Locator(".notice");

        // The API's validation message beside the field it names.
        await form.GetByLabel("Phone").FillAsync("not-a-phone");
        await suppress.ClickAsync();
        await Expect(form.Locator("[data-field='phone'] .field-error")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Phone")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(outcome).ToHaveCountAsync(0);

        await form.GetByLabel("Phone").FillAsync(phone);
        await form.GetByLabel("Channel").SelectOptionAsync("sms");
        await form.GetByLabel("Reason").FillAsync("Asked at the shop");
        await suppress.ClickAsync();
        await Expect(outcome).ToHaveTextAsync($"Suppressed: {phone} on SMS.");
        await Expect(form.Locator("[data-field='phone'] .field-error")).ToBeHiddenAsync();
        var smsRow = page.Locator($"#suppressions-table tr[data-phone='{phone}'][data-channel='sms']");
        await Expect(smsRow).ToContainTextAsync("Asked at the shop");
        await Expect(smsRow.Locator(".badge")).ToHaveTextAsync("api");

        // The same again: 200, the one that exists.
        await form.GetByLabel("Phone").FillAsync(phone);
        await suppress.ClickAsync();
        await Expect(outcome).ToContainTextAsync($"Already suppressed: {phone} on SMS since");

        await form.GetByLabel("Phone").FillAsync(phone);
        await form.GetByLabel("Channel").SelectOptionAsync("");
        await suppress.ClickAsync();
        await Expect(outcome).ToHaveTextAsync($"Suppressed: {phone} on every channel.");

        // Search in local form: the API normalizes it.
        var search = page.GetByRole(AriaRole.Search, new() { Name = "Find suppressions" });
        await search.GetByLabel("Phone").FillAsync("0" + phone[4..]);
        await search.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var rows = page.Locator("#suppressions-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToHaveAttributeAsync("data-channel", "");
        await Expect(rows.First).ToContainTextAsync("Every channel");
        await Expect(page.Locator(".pager")).ToContainTextAsync("2 suppressions · page 1 of 1");
        await session.ScreenshotAsync("suppressions");
        using var api = app.CreateApiClient();
        Assert.Equal(["*:api", "sms:api"], (await api.SuppressionsAsync(phone, Ct)).Sources());

        // One channel's row: that channel only.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {phone} (SMS)" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Every channel");
        Assert.Equal(["*:api"], (await api.SuppressionsAsync(phone, Ct)).Sources());

        // The every-channel row: every suppression of the phone, as the question says.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {phone} (Every channel)" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveTextAsync("No suppression of this phone.");
        await Expect(page.Locator("#suppressions-outcome")).ToHaveTextAsync($"Removed: every suppression of {phone}.");
        Assert.Equal(2, confirmations.Count);
        Assert.Contains("removes every suppression of this phone", confirmations[1]);
        Assert.DoesNotContain("every suppression", confirmations[0]);
        Assert.Empty(await api.SuppressionsAsync(phone, Ct));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM suppressions WHERE phone = @phone", new { phone }, Ct));
        session.AssertNoScriptErrors();
    }
}
