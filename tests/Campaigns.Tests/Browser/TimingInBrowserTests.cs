using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>
/// Timing in the console: a send window and a validity composed and edited, the API's refusal of a window
/// that closes before it opens, and a campaign's messages waiting for their window or expired.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TimingInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"#/campaigns/(\d+)$")]
    private static partial Regex CampaignPage();

    [GeneratedRegex(@"/customers\?")]
    private static partial Regex CustomersRequest();

    [Fact]
    public async Task Composes_a_campaign_with_a_send_window_and_a_validity_then_edits_them_away()
    {
        using var api = app.CreateApiClient();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var name = Unique.Name("Browser timing");

        await session.GotoAsync("#/campaigns/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}, our weekday offer ends soon.");
        await page.GetByLabel("Send only within a window").CheckAsync();
        await page.GetByLabel("From", new() { Exact = true }).FillAsync("09:30");
        await page.GetByLabel("Until", new() { Exact = true }).FillAsync("17:45");
        await page.GetByLabel("Sat", new() { Exact = true }).UncheckAsync();
        await page.GetByLabel("Sun", new() { Exact = true }).UncheckAsync();
        await page.GetByLabel("Expire unsent messages").CheckAsync();
        await page.GetByLabel("After", new() { Exact = true }).FillAsync("6");
        await page.GetByLabel("Unit", new() { Exact = true }).SelectOptionAsync("hours");
        await session.ScreenshotAsync("compose-timing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await Expect(page.Locator("#campaign-window")).ToHaveTextAsync("09:30–17:45, Mon–Fri");
        await Expect(page.Locator("#campaign-validity")).ToHaveTextAsync("6 hours");
        await Expect(page.Locator("#campaign-valid-until")).ToHaveTextAsync("Set when it is sent");
        await session.ScreenshotAsync("campaign-timing-draft");
        var id = long.Parse(CampaignPage().Match(page.Url).Groups[1].Value);
        var saved = (await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(name, saved["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "start": "09:30", "end": "17:45", "days": ["mon", "tue", "wed", "thu", "fri"] }"""),
            saved["send_window"]), $"send_window: {saved["send_window"]?.ToJsonString()}");
        Assert.Equal("PT6H", saved["validity"]!.GetValue<string>());
        Assert.Null(saved["valid_until"]);

        // Edit shows them as saved; without the window and with another validity, the API has no window and the new validity.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        var windowToggle = page.GetByLabel("Send only within a window");
        await Expect(windowToggle).ToBeCheckedAsync();
        await Expect(page.GetByLabel("From", new() { Exact = true })).ToHaveValueAsync("09:30");
        await Expect(page.GetByLabel("Until", new() { Exact = true })).ToHaveValueAsync("17:45");
        await Expect(page.GetByLabel("Fri", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Sat", new() { Exact = true })).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("After", new() { Exact = true })).ToHaveValueAsync("6");
        await Expect(page.GetByLabel("Unit", new() { Exact = true })).ToHaveValueAsync("hours");
        await windowToggle.UncheckAsync();
        await page.GetByLabel("After", new() { Exact = true }).FillAsync("2");
        await page.GetByLabel("Unit", new() { Exact = true }).SelectOptionAsync("days");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(page.Locator("#campaign-window")).ToHaveTextAsync("Any time");
        await Expect(page.Locator("#campaign-validity")).ToHaveTextAsync("2 days");
        var edited = (await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(edited["send_window"]);
        Assert.Equal("P2D", edited["validity"]!.GetValue<string>());
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_window_that_closes_before_it_opens_shows_the_api_error_and_creates_nothing()
    {
        using var api = app.CreateApiClient();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        // No customer to preview for, so the preview saves no draft: only Save could create the campaign.
        await page.RouteAsync(CustomersRequest(), route => route.FulfillAsync(new()
        {
            Status = 200, ContentType = "application/json", Body = """{ "data": [], "pagination": { "next_cursor": null } }""",
        }));
        var creates = new List<int>();
        page.Response += (_, response) =>
        {
            if (response.Request.Method == "POST" && new Uri(response.Url).AbsolutePath == "/campaigns")
            {
                creates.Add(response.Status);
            }
        };
        var name = Unique.Name("Browser bad window");

        await session.GotoAsync("#/campaigns/new");
        await Expect(page.Locator("#preview-text")).ToContainTextAsync("Start typing");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}!");
        await page.GetByLabel("Send only within a window").CheckAsync();
        await page.GetByLabel("From", new() { Exact = true }).FillAsync("20:00");
        await page.GetByLabel("Until", new() { Exact = true }).FillAsync("08:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        // The API's message beside the window's hours, which are marked invalid; the page stays on compose.
        await Expect(page.Locator("#window-error")).ToContainTextAsync("must be before");
        await Expect(page.GetByLabel("From", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New campaign" })).ToBeVisibleAsync();
        await session.ScreenshotAsync("compose-window-error");

        // Good hours but no day: the API's message beside the days.
        await page.GetByLabel("From", new() { Exact = true }).FillAsync("08:00");
        await page.GetByLabel("Until", new() { Exact = true }).FillAsync("20:00");
        foreach (var day in new[] { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" })
        {
            await page.GetByLabel(day, new() { Exact = true }).UncheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(page.Locator("#window-days-error")).ToContainTextAsync("at least one day");
        await Expect(page.Locator("#window-error")).ToBeHiddenAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/campaigns/new$"));

        Assert.Equal(new[] { 400, 400 }, creates);
        var drafts = (await api.GetJsonAsync("/campaigns?status=draft&page_size=100", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
        Assert.DoesNotContain(drafts, c => c!["name"]!.GetValue<string>() == name);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_campaign_page_counts_messages_waiting_for_their_window_and_those_expired()
    {
        using var api = app.CreateApiClient();
        // A window closed for recipients in UTC now, hours from opening whatever the time.
        var window = DateTime.UtcNow.Hour < 12 ? new { start = "22:00", end = "23:00" } : new { start = "01:00", end = "02:00" };
        var waiting = await SendAsync(api, "Browser waiting", window, validity: null);
        // The same window and a validity of a second: the worker's sweep expires what waits.
        var expired = await SendAsync(api, "Browser expired", window, validity: "PT1S");
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var stats = page.Locator(".stats");

        await session.GotoAsync($"#/campaigns/{waiting}");
        await Expect(stats.Locator(".stat-total .stat-value")).ToHaveTextAsync("3");
        await Expect(stats.Locator(".stat-pending .stat-value")).ToHaveTextAsync("3");
        await Expect(stats.Locator(".stat-waiting .stat-value")).ToHaveTextAsync("3");
        await Expect(stats.Locator(".stat-expired .stat-value")).ToHaveTextAsync("0");
        await Expect(page.Locator(".progress-large")).ToContainTextAsync("3 pending of 3 (3 waiting for their send window)");
        await Expect(page.Locator("#campaign-window")).ToHaveTextAsync($"{window.start}–{window.end}, every day");
        await Expect(page.Locator("#campaign-validity")).ToHaveTextAsync("None: messages never expire");
        var rows = page.Locator("#messages-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Locator(".not-before")).ToHaveCountAsync(3);
        await Expect(rows.First.Locator(".not-before")).ToContainTextAsync("Waits until");
        await session.ScreenshotAsync("campaign-waiting");
        await rows.First.Locator(".message-text").ClickAsync();
        await Expect(page.Locator("#message-details .not-before")).ToContainTextAsync("Waits until");
        var message = (await api.GetJsonAsync($"/campaigns/{waiting}/messages", Ct)).Expect(HttpStatusCode.OK).Json["data"]![0]!;
        Assert.Equal("pending", message["status"]!.GetValue<string>());
        Assert.NotNull(message["not_before"]);

        await session.GotoAsync($"#/campaigns/{expired}");
        await Expect(stats.Locator(".stat-expired .stat-value")).ToHaveTextAsync("3", new() { Timeout = 30_000 });
        await Expect(stats.Locator(".stat-waiting .stat-value")).ToHaveTextAsync("0");
        await Expect(stats.Locator(".stat-pending .stat-value")).ToHaveTextAsync("0");
        // Nothing was accepted by a provider: every message expired, so the campaign failed.
        await Expect(page.Locator(".title-line .badge")).ToHaveTextAsync("failed");
        await Expect(page.Locator(".progress-large")).ToContainTextAsync("0 failed · 3 expired · 0 pending of 3");
        await Expect(page.Locator("#campaign-validity")).ToHaveTextAsync("1 second");
        await Expect(page.Locator("#campaign-valid-until")).Not.ToHaveTextAsync("Set when it is sent");
        await page.GetByLabel("Status").SelectOptionAsync("expired");
        await Expect(page.Locator("#messages-table tbody tr .badge-expired")).ToHaveCountAsync(3);
        await session.ScreenshotAsync("campaign-expired");
        session.AssertNoScriptErrors();

        // The waiting campaign would otherwise wait hours for its window.
        (await api.PostJsonAsync($"/campaigns/{waiting}/cancel", null, Ct)).Expect(HttpStatusCode.OK);
    }

    /// <summary>A campaign with this window (and validity) sent to three new customers in UTC; returns its id.</summary>
    private static async Task<long> SendAsync(HttpClient api, string prefix, object window, string? validity)
    {
        var customers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add((await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = $"Zawadi {i}", timezone = "UTC" }, Ct))
                .Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>());
        }
        var body = new JsonObject
        {
            ["name"] = Unique.Name(prefix),
            ["channel"] = "sms",
            ["base_template"] = "Hi {first_name}!",
            ["send_window"] = JsonSerializer.SerializeToNode(window),
        };
        if (validity is not null)
        {
            body["validity"] = validity;
        }
        var campaign = (await api.PostJsonAsync("/campaigns", body.ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();
        (await api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        return campaign;
    }
}
