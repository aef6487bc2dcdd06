using System.Net;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Variants;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>A campaign's page shows its variants with their counters and its A/B test with the winner once decided.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VariantsInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_campaign_page_shows_the_variants_and_the_ab_tests_winner()
    {
        using var api = app.CreateApiClient();
        var campaign = await api.CreateWithVariantsAsync(Ct,
            new object[] { new { key = "a", template = "A {first_name}", weight = 1 }, new { key = "b", template = "B {first_name}", weight = 3 } },
            new { sample_percent = 50, metric = "delivered", decide_after = "PT1H" });
        var id = campaign["id"]!.GetValue<long>();
        var customers = await app.Database.TestCustomersAsync(4, Ct);
        (await api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        await api.WaitForCampaignAsync(id, c => c["stats"]!["pending"]!.GetValue<int>() == 2 && c["stats"]!["sending"]!.GetValue<int>() == 0,
            TimeSpan.FromSeconds(60), Ct);
        await app.Database.ExecuteAsync("UPDATE campaigns SET decide_at = now() WHERE id = @id", new { id }, Ct);
        var done = await api.WaitForCampaignAsync(id, c => c["winner"] is not null && c["status"]!.GetValue<string>() is "sent" or "failed",
            TimeSpan.FromSeconds(60), Ct);
        var counters = done["stats"]!["variants"]!;

        await using var session = await ConsoleSession.OpenAsync(browser, app);
        await session.GotoAsync($"#/campaigns/{id}");

        await Expect(session.Page.Locator("#campaign-ab-test")).ToHaveTextAsync("50% sample, decided on delivered after 1 hour; winner: a");
        await Expect(session.Page.Locator("#campaign-variants")).ToContainTextAsync(
            $"a (weight 1): {counters["a"]!["total"]!.GetValue<int>()} messages");
        await Expect(session.Page.Locator("#campaign-variants")).ToContainTextAsync("b (weight 3)");
        await session.ScreenshotAsync("campaign-variants");
    }
}
