using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Variants;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Campaigns.Tests.Browser;

/// <summary>
/// Compose's content parts: variants with an A/B test, translations and AI personalization written in the form and
/// stored as entered; the preview of one variant; a translation's warning; each message's variant and language listed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ComposeContentInBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"#/campaigns/(\d+)$")]
    private static partial Regex CampaignPage();

    private const string Swahili = "Habari {first_name}, ofa yetu kubwa ya wikendi inaanza leo kwenye maduka yetu yote.";

    [Fact]
    public async Task Composes_variants_an_ab_test_a_translation_and_personalization_stored_as_entered()
    {
        using var api = app.CreateApiClient();
        var firstName = $"Akinyi{Random.Shared.Next(1000, 9999)}";
        var customer = (await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = firstName }, Ct))
            .Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var name = Unique.Name("Browser content");
        var instructions = $"Warm and short; mention their town. {FakeLanguageModel.Behaviour.Good} {name}";

        await session.GotoAsync("#/campaigns/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Customer", new() { Exact = true }).SelectOptionAsync(customer.ToString());
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}, the weekend sale starts today.");
        await Expect(page.Locator("#preview-text")).ToHaveTextAsync($"Hi {firstName}, the weekend sale starts today.");

        // Two variants; a third added and removed again.
        await page.GetByLabel("Variants: write 2 to 5 versions").CheckAsync();
        await page.GetByLabel("Variant 1 key", new() { Exact = true }).FillAsync("short");
        await page.GetByLabel("Variant 1 message", new() { Exact = true }).FillAsync("Hi {first_name}: 20% off today.");
        await page.GetByLabel("Variant 2 key", new() { Exact = true }).FillAsync("long");
        await page.GetByLabel("Variant 2 message", new() { Exact = true }).FillAsync("Hi {first_name}, this weekend only: 20% off everything.");
        await page.GetByLabel("Variant 2 weight", new() { Exact = true }).FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add variant" }).ClickAsync();
        await Expect(page.GetByLabel("Variant 3 key", new() { Exact = true })).ToHaveValueAsync("c");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove variant 3" }).ClickAsync();
        await Expect(page.GetByLabel("Variant 3 key", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove variant 1" })).ToBeDisabledAsync();

        // The preview of one variant, as stored on the draft.
        await page.GetByLabel("Variant", new() { Exact = true }).SelectOptionAsync("long");
        await Expect(page.Locator("#preview-variant")).ToHaveTextAsync("long");
        await Expect(page.Locator("#preview-text")).ToHaveTextAsync($"Hi {firstName}, this weekend only: 20% off everything.");

        await page.GetByLabel("A/B test: send a sample first").CheckAsync();
        await page.GetByLabel("Sample (% of the audience)").FillAsync("20");
        await page.GetByLabel("Winner by", new() { Exact = true }).SelectOptionAsync("delivered");
        await page.GetByLabel("Decide after", new() { Exact = true }).FillAsync("90");
        await page.GetByLabel("Decide after unit", new() { Exact = true }).SelectOptionAsync("minutes");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add translation" }).ClickAsync();
        await page.GetByLabel("Translation 1 language", new() { Exact = true }).FillAsync("sw");
        await page.GetByLabel("Translation 1 message", new() { Exact = true }).FillAsync(Swahili);

        await page.GetByLabel("AI-written").CheckAsync();
        await page.GetByLabel("Instructions", new() { Exact = true }).FillAsync(instructions);
        await page.GetByLabel("Max length (optional)").FillAsync("140");
        await session.ScreenshotAsync("compose-content");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await Expect(page.Locator("#campaign-ab-test")).ToContainTextAsync("20% sample, decided on delivered");
        await Expect(page.Locator("#save-warnings")).ToHaveCountAsync(0);
        var id = long.Parse(CampaignPage().Match(page.Url).Groups[1].Value);
        await AssertStoredAsync(api, id, instructions);

        // Edit shows every part as saved, the preview says the model wrote it; saving again changes nothing.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByLabel("Variant 2 key", new() { Exact = true })).ToHaveValueAsync("long");
        await Expect(page.GetByLabel("Variant 2 weight", new() { Exact = true })).ToHaveValueAsync("3");
        await Expect(page.GetByLabel("Decide after", new() { Exact = true })).ToHaveValueAsync("90");
        await Expect(page.GetByLabel("Decide after unit", new() { Exact = true })).ToHaveValueAsync("minutes");
        await Expect(page.GetByLabel("Translation 1 language", new() { Exact = true })).ToHaveValueAsync("sw");
        await Expect(page.GetByLabel("Instructions", new() { Exact = true })).ToHaveValueAsync(instructions);
        await Expect(page.GetByLabel("Max length (optional)")).ToHaveValueAsync("140");
        await Expect(page.Locator("#preview-personalization")).ToHaveTextAsync("by AI");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await AssertStoredAsync(api, id, instructions);
        session.AssertNoScriptErrors();
    }

    /// <summary>The campaign holds exactly what the first test entered.</summary>
    private static async Task AssertStoredAsync(HttpClient api, long id, string instructions)
    {
        var saved = (await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        AssertJson("""
            [{ "key": "short", "template": "Hi {first_name}: 20% off today.", "weight": 1 },
             { "key": "long", "template": "Hi {first_name}, this weekend only: 20% off everything.", "weight": 3 }]
            """, WithoutNulls(saved["variants"]));
        AssertJson("""{ "sample_percent": 20, "metric": "delivered", "decide_after": "PT1H30M" }""", saved["ab_test"]);
        AssertJson($$"""{ "sw": "{{Swahili}}" }""", saved["translations"]);
        Assert.Equal("en", saved["default_language"]!.GetValue<string>());
        AssertJson($$"""{ "mode": "ai", "instructions": "{{instructions}}", "max_length": 140 }""", saved["personalization"]);
        Assert.Equal("Hi {first_name}, the weekend sale starts today.", saved["base_template"]!.GetValue<string>());
    }

    [GeneratedRegex(@"/customers\?")]
    private static partial Regex CustomersRequest();

    [Fact]
    public async Task The_apis_errors_appear_beside_the_variant_and_the_personalization_fields()
    {
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        // No customer to preview for, so no draft: Save creates the campaign, and only once the form is right.
        await page.RouteAsync(CustomersRequest(), route => route.FulfillAsync(new()
        {
            Status = 200, ContentType = "application/json", Body = """{ "data": [], "pagination": { "next_cursor": null } }""",
        }));
        var name = Unique.Name("Browser content errors");

        await session.GotoAsync("#/campaigns/new");
        await Expect(page.Locator("#preview-text")).ToContainTextAsync("Start typing");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}!");
        await page.GetByLabel("Variants: write 2 to 5 versions").CheckAsync();
        await page.GetByLabel("Variant 1 message", new() { Exact = true }).FillAsync("One {first_name}");
        await page.GetByLabel("Variant 2 key", new() { Exact = true }).FillAsync("a");
        await page.GetByLabel("Variant 2 message", new() { Exact = true }).FillAsync("Two {first_name}");
        await page.GetByLabel("AI-written").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        var secondKey = page.GetByLabel("Variant 2 key", new() { Exact = true });
        await Expect(page.Locator("[data-field='variants[1].key'] .field-error")).ToContainTextAsync("already the key of another variant");
        await Expect(secondKey).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("[data-field='personalization.instructions'] .field-error")).ToContainTextAsync("instructions");
        await Expect(page.Locator("[data-field='variants[0].key'] .field-error")).ToBeHiddenAsync();
        await session.ScreenshotAsync("compose-content-errors");

        // Without a language model the API refuses personalization: its message beside the AI switch.
        await page.RouteAsync("**/campaigns", route => route.Request.Method == "POST"
            ? route.FulfillAsync(new()
            {
                Status = 400, ContentType = "application/problem+json",
                Body = """{ "status": 400, "error": { "code": "AI_NOT_CONFIGURED", "message": "No language model is configured" } }""",
            })
            : route.ContinueAsync());
        await secondKey.FillAsync("b");
        await page.GetByLabel("Instructions", new() { Exact = true }).FillAsync("Warm and short.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(page.Locator("[data-field='personalization'] > .field-error")).ToHaveTextAsync("No language model is configured");
        await Expect(page.Locator("[data-field='variants[1].key'] .field-error")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New campaign" })).ToBeVisibleAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_translation_in_another_language_shows_the_apis_warning()
    {
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;
        var name = Unique.Name("Browser warning");

        await session.GotoAsync("#/campaigns/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {first_name}, our big weekend sale starts today at every shop.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add translation" }).ClickAsync();
        await page.GetByLabel("Translation 1 language", new() { Exact = true }).FillAsync("fr");
        await page.GetByLabel("Translation 1 message", new() { Exact = true }).FillAsync("Hi {first_name}, our big weekend sale starts today at every shop.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        // Saved all the same: the campaign's page opens with the warning.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await Expect(page.Locator("#save-warnings li")).ToHaveTextAsync(["translations.fr does not look like French (detected: English)"]);
        await session.ScreenshotAsync("campaign-save-warnings");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_messages_list_and_a_message_show_the_variant_and_the_language()
    {
        using var api = app.CreateApiClient();
        var campaign = await api.CreateWithVariantsAsync(Ct,
            new object[]
            {
                new { key = "a", template = "A {first_name}", weight = 1, translations = new Dictionary<string, string> { ["fr"] = "Bonjour {first_name}" } },
                new { key = "b", template = "B {first_name}", weight = 1, translations = new Dictionary<string, string> { ["fr"] = "Salut {first_name}" } },
            });
        var id = campaign["id"]!.GetValue<long>();
        var customer = (await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = "Amina", language = "fr" }, Ct))
            .Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();
        (await api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);
        var message = (await api.GetJsonAsync($"/campaigns/{id}/messages", Ct)).Expect(HttpStatusCode.OK).Json["data"]![0]!;
        Assert.Equal("fr", message["language"]!.GetValue<string>());
        await using var session = await ConsoleSession.OpenAsync(browser, app);
        var page = session.Page;

        await session.GotoAsync($"#/campaigns/{id}");
        var row = page.Locator("#messages-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".message-text")).ToHaveTextAsync(message["variant"]!.GetValue<string>() == "a" ? "Bonjour Amina" : "Salut Amina");
        await Expect(row.Locator(".tag-variant")).ToHaveTextAsync(message["variant"]!.GetValue<string>());
        await Expect(row.Locator(".tag-language")).ToHaveTextAsync("fr");
        await row.Locator(".message-text").ClickAsync();
        await Expect(page.Locator("#message-details .message-language dd")).ToHaveTextAsync("fr");
        await Expect(page.Locator("#message-details .message-variant dd")).ToHaveTextAsync(message["variant"]!.GetValue<string>());
        session.AssertNoScriptErrors();
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");

    /// <summary>The node without its null members (a variant without translations may answer them as null).</summary>
    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                return new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value))));
            case JsonArray a:
                return new JsonArray([.. a.Select(WithoutNulls)]);
            default:
                return node?.DeepClone();
        }
    }
}
