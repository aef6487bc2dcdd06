using System.Net;
using Campaigns.Tests.Consent;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>The inbound page: a STOP a customer wrote, with its keyword, and the suppression it made.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboundInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_inbound_stop_is_listed_with_its_keyword_and_its_phone_is_suppressed_by_keyword()
    {
        using var api = app.CreateApiClient();
        var phone = Unique.KenyanPhone();
        var customer = (await api.PostJsonAsync("/customers", new { phone, first_name = "Wanjiru" }, Ct)).Expect(HttpStatusCode.Created)
            .Json["id"]!.GetValue<long>();
        var inbound = (await api.InboundAsync(phone, "Stop", Ct))["id"]!.GetValue<long>();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        await session.GotoAsync("#/inbound");
        var row = page.Locator($"#inbound-table tr[data-inbound-id='{inbound}']");
        await Expect(row.Locator("[data-keyword]")).ToHaveTextAsync("stop");
        await Expect(row.Locator(".message-text")).ToHaveTextAsync("Stop");
        await Expect(row).ToContainTextAsync(phone);
        await Expect(row).ToContainTextAsync("SMS");
        await Expect(row).ToContainTextAsync("API");
        var link = row.GetByRole(AriaRole.Link, new() { Name = $"Customer {customer}" });
        await Expect(link).ToHaveTextAsync(customer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await session.ScreenshotAsync("inbound");

        // The customer's link: the customers list searched by the phone, opted out by the STOP.
        await link.ClickAsync();
        var customers = page.Locator("#customers-table tbody tr");
        await Expect(customers).ToHaveCountAsync(1);
        await Expect(customers.First).ToContainTextAsync("Wanjiru");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = $"{phone} opted out" })).ToBeCheckedAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Suppressions", Exact = true }).ClickAsync();
        var search = page.GetByRole(AriaRole.Search, new() { Name = "Find suppressions" });
        await search.GetByLabel("Phone").FillAsync(phone);
        await search.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var rows = page.Locator("#suppressions-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-phone", phone);
        await Expect(rows.First).ToContainTextAsync("Every channel");
        await Expect(rows.First.Locator("[data-source]")).ToHaveTextAsync("keyword");
        await session.ScreenshotAsync("suppressions-keyword");

        Assert.Equal(["*:keyword"], (await api.SuppressionsAsync(phone, Ct)).Sources());
        session.AssertNoScriptErrors();
    }
}
