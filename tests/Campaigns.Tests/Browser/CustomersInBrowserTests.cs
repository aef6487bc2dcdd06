using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>The customers page: CSV import with its rejected rows, search by phone, the opt-out switch.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomersInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Imports_a_csv_searches_by_phone_and_toggles_opt_out()
    {
        var phone = Unique.KenyanPhone();
        var csv = $"phone,first_name,last_name,location,preferred_product,timezone\n{phone},Achieng,Otieno,Mombasa,Solar Lamp,Africa/Lagos\n,No,Phone,,,\n";
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        await session.GotoAsync("#/customers");
        await page.GetByText("Import customers from a CSV file").ClickAsync();
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload
        {
            Name = "customers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import customers" }).ClickAsync();
        await Expect(page.Locator(".import-result")).ToContainTextAsync("2 rows read: 1 created, 0 updated, 1 rejected");
        await Expect(page.Locator(".import-result tbody tr")).ToHaveCountAsync(1);

        // Search in local form: the API normalizes it.
        await page.GetByLabel("Phone").FillAsync("0" + phone[4..]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var rows = page.Locator("#customers-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Achieng Otieno");
        await Expect(rows.First).ToContainTextAsync("Africa/Lagos");

        await page.GetByRole(AriaRole.Switch, new() { Name = $"{phone} opted out" }).CheckAsync();
        await Expect(rows.First).ToContainTextAsync("Yes");
        await session.ScreenshotAsync("customers");

        using var api = app.CreateApiClient();
        var found = (await api.GetJsonAsync($"/customers?phone={Uri.EscapeDataString(phone)}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.True(found["data"]![0]!["opted_out"]!.GetValue<bool>());
        session.AssertNoScriptErrors();
    }
}
