using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.CustomerEndpoints;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Languages;

/// <summary>
/// Languages end to end (api.md, "Variants, links and languages"): a customer's <c>language</c>, a campaign's
/// <c>translations</c> and <c>default_language</c>, the template each recipient gets at send and in preview, and the
/// language each message shows.
/// </summary>
public sealed class LanguageTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Base = "Hello {first_name}, our big weekend sale starts today with twenty percent off everything in the shop.";
    private const string Swahili = TranslationCheckTests.Swahili;
    private const string French = TranslationCheckTests.French;

    [Fact]
    public async Task Each_recipient_gets_the_template_of_their_language_and_each_message_shows_it()
    {
        var campaign = await CreateAsync(new JsonObject { ["translations"] = new JsonObject { ["sw"] = Swahili, ["FR"] = French } });
        Assert.Equal("""{"fr":"FR_","sw":"SW_"}""".Replace("FR_", Escaped(French)).Replace("SW_", Escaped(Swahili)),
            campaign["translations"]!.ToJsonString());
        Assert.Equal("en", campaign.Text("default_language"));
        Assert.Empty(campaign["warnings"]!.AsArray());
        var id = campaign.Id();

        // Kenyan phones, whose region's first language (Languages:Regions:KE) is sw.
        var ownFrench = await CustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "Ama", language = "fr" });
        var fromRegion = await CustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "Juma" });
        // Japan is in no region of the map: the campaign's default_language, en, which has no translation.
        var campaignDefault = await CustomerAsync(new { phone = Unique.PhoneWithPrefix("+81901", 13), first_name = "Yui" });
        // German has no translation: base_template, in the campaign's default_language.
        var missing = await CustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "Lena", language = "de" });
        var expected = new Dictionary<long, (string Text, string Language)>
        {
            [ownFrench] = (French.Replace("{first_name}", "Ama"), "fr"),
            [fromRegion] = (Swahili.Replace("{first_name}", "Juma"), "sw"),
            [campaignDefault] = (Base.Replace("{first_name}", "Yui"), "en"),
            [missing] = (Base.Replace("{first_name}", "Lena"), "en"),
        };

        foreach (var (customer, (text, language)) in expected)
        {
            var preview = (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview", new { customer_id = customer }, Ct))
                .Expect(HttpStatusCode.OK).Json;
            Assert.Equal((text, language), (preview.Text("rendered_message"), preview.Text("language")));
        }
        (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = expected.Keys.ToArray() }, Ct)).Expect(HttpStatusCode.Accepted);
        var messages = (await _api.GetJsonAsync($"/campaigns/{id}/messages?page_size=100", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Text, e.Value.Language)),
            messages.Select(m => (m!["customer_id"]!.GetValue<long>(), m.Text("rendered_content"), m.Text("language"))).OrderBy(m => m.Item1));
    }

    [Fact]
    public async Task Base_template_is_in_the_campaigns_default_language_for_whoever_reads_it()
    {
        var campaign = await CreateAsync(new JsonObject
        {
            ["base_template"] = French, ["default_language"] = "FR", ["translations"] = new JsonObject { ["en"] = Base },
        });
        Assert.Equal("fr", campaign.Text("default_language"));
        var japanese = await CustomerAsync(new { phone = Unique.PhoneWithPrefix("+81901", 13), first_name = "Yui" });
        var english = await CustomerAsync(new { phone = Unique.PhoneWithPrefix("+447400", 13), first_name = "Tom" });

        var defaulted = await PreviewAsync(campaign.Id(), japanese);
        var byRegion = await PreviewAsync(campaign.Id(), english);

        Assert.Equal((French, "fr"), (defaulted.Text("used_template"), defaulted.Text("language")));
        Assert.Equal((Base, "en"), (byRegion.Text("used_template"), byRegion.Text("language")));
    }

    [Fact]
    public async Task Create_and_update_warn_where_a_translation_does_not_look_like_its_language()
    {
        var campaign = await CreateAsync(new JsonObject { ["translations"] = new JsonObject { ["fr"] = Base, ["sw"] = Swahili } });
        Assert.Equal(["translations.fr does not look like French (detected: English)"], Warnings(campaign));

        var fixedUp = (await _api.PatchJsonAsync($"/campaigns/{campaign.Id()}", new { translations = new { fr = French, sw = Swahili } }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Empty(Warnings(fixedUp));

        var broken = (await _api.PatchJsonAsync($"/campaigns/{campaign.Id()}", new { translations = new { sw = French } }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(["translations.sw does not look like Swahili (detected: French)"], Warnings(broken));
        Assert.Equal(["sw"], broken["translations"]!.AsObject().Select(t => t.Key));
        // GET answers the campaign alone.
        var fetched = (await _api.GetJsonAsync($"/campaigns/{campaign.Id()}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(fetched["warnings"]);
        var cleared = (await _api.PatchJsonAsync($"/campaigns/{campaign.Id()}", new { translations = (object?)null }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("{}", cleared["translations"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_and_update_warn_where_a_variants_translation_does_not_look_like_its_language()
    {
        // The campaign's translations first, then each variant's in the variants' order, each by language.
        var campaign = await CreateAsync(new JsonObject
        {
            ["translations"] = new JsonObject { ["sw"] = French },
            ["variants"] = new JsonArray(
                new JsonObject { ["key"] = "a", ["template"] = Base, ["weight"] = 1, ["translations"] = new JsonObject { ["fr"] = French } },
                new JsonObject { ["key"] = "b", ["template"] = Base, ["weight"] = 1, ["translations"] = new JsonObject { ["sw"] = Base, ["fr"] = Swahili } }),
        });
        Assert.Equal(
            [
                "translations.sw does not look like Swahili (detected: French)",
                "variants[1].translations.fr does not look like French (detected: Swahili)",
                "variants[1].translations.sw does not look like Swahili (detected: English)",
            ],
            Warnings(campaign));

        // PATCH answers the warnings of the campaign as it now is: a variant's right translation warns of nothing.
        var fixedUp = (await _api.PatchJsonAsync($"/campaigns/{campaign.Id()}", new
        {
            translations = (object?)null,
            variants = new object[]
            {
                new { key = "a", template = Base, weight = 1, translations = new { fr = French } },
                new { key = "b", template = Base, weight = 1, translations = new { sw = Swahili } },
            },
        }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(Warnings(fixedUp));

        var broken = (await _api.PatchJsonAsync($"/campaigns/{campaign.Id()}", new
        {
            variants = new object[]
            {
                new { key = "a", template = Base, weight = 1, translations = new { fr = Base } },
                new { key = "b", template = Base, weight = 1 },
            },
        }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(["variants[0].translations.fr does not look like French (detected: English)"], Warnings(broken));
    }

    [Fact]
    public async Task Translations_and_default_language_are_held_to_the_rules_of_base_template()
    {
        var response = await _api.PostJsonAsync("/campaigns", new JsonObject
        {
            ["name"] = Unique.Name("lang"), ["channel"] = "sms", ["base_template"] = Base, ["default_language"] = "english",
            ["translations"] = new JsonObject { ["en-GB"] = Base, ["fr"] = "Bonjour {prenom}", ["sw"] = new string('a', 1_601) },
        }.ToJsonString(), Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["default_language", "translations.en-GB", "translations.fr", "translations.sw"],
            response.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("Unknown placeholder {prenom}", response.Json["errors"]!["translations.fr"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customers_language_is_stored_lowercase_cleared_by_null_and_refused_unless_a_primary_subtag()
    {
        var created = await CustomerAsync(new { phone = Unique.KenyanPhone(), language = "SW" });
        Assert.Equal("sw", await LanguageOfAsync(created));

        (await _api.PatchJsonAsync($"/customers/{created}", new { language = "fr" }, Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal("fr", await LanguageOfAsync(created));
        (await _api.PatchJsonAsync($"/customers/{created}", new { first_name = "Kept" }, Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal("fr", await LanguageOfAsync(created));
        (await _api.PatchJsonAsync($"/customers/{created}", new { language = (string?)null }, Ct)).Expect(HttpStatusCode.OK);
        Assert.Null(await LanguageOfAsync(created));

        var refused = await _api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), language = "en-GB" }, Ct);
        refused.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["language"], refused.Json["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Import_sets_a_language_an_empty_cell_or_null_clears_it_and_a_bad_one_rejects_the_row()
    {
        var (kept, cleared, bad) = (Unique.KenyanPhone(), Unique.KenyanPhone(), Unique.KenyanPhone());
        await CustomerAsync(new { phone = cleared, language = "fr" });

        var csv = (await _api.ImportCsvAsync($"phone,language\n{kept},EN\n{cleared},\n{bad},english\n", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal((2, 1), (csv["created"]!.GetValue<int>() + csv["updated"]!.GetValue<int>(), csv["rejected"]!.AsArray().Count));
        Assert.Equal(3, csv["rejected"]![0]!["row"]!.GetValue<int>());
        Assert.Equal(("en", (string?)null), (await LanguageOfPhoneAsync(kept), await LanguageOfPhoneAsync(cleared)));

        (await _api.ImportJsonAsync($$"""[{"phone":"{{kept}}","language":null},{"phone":"{{cleared}}","language":"sw"}]""", Ct))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(((string?)null, "sw"), (await LanguageOfPhoneAsync(kept), await LanguageOfPhoneAsync(cleared)));
        // A row without the member leaves the language as it is.
        (await _api.ImportJsonAsync($$"""[{"phone":"{{cleared}}","first_name":"Zawadi"}]""", Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal("sw", await LanguageOfPhoneAsync(cleared));
    }

    private async Task<JsonNode> CreateAsync(JsonObject members)
    {
        var body = new JsonObject { ["name"] = Unique.Name("lang"), ["channel"] = "sms", ["base_template"] = Base };
        foreach (var (key, value) in members)
        {
            body[key] = value?.DeepClone();
        }
        return (await _api.PostJsonAsync("/campaigns", body.ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json;
    }

    private async Task<long> CustomerAsync(object body) => (await _api.CreateCustomerAsync(body, Ct)).Id();

    private async Task<JsonNode> PreviewAsync(long campaign, long customer) =>
        (await _api.PostJsonAsync($"/campaigns/{campaign}/personalized-preview", new { customer_id = customer }, Ct)).Expect(HttpStatusCode.OK).Json;

    private async Task<string?> LanguageOfAsync(long customer) =>
        (await _api.GetJsonAsync($"/customers/{customer}", Ct)).Expect(HttpStatusCode.OK).Json["language"]?.GetValue<string>();

    private async Task<string?> LanguageOfPhoneAsync(string phone) =>
        Assert.Single((await _api.GetJsonAsync($"/customers?phone={Uri.EscapeDataString(phone)}", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray())!
            ["language"]?.GetValue<string>();

    private static string[] Warnings(JsonNode campaign) => [.. campaign["warnings"]!.AsArray().Select(w => w!.GetValue<string>())];

    private static string Escaped(string text) => JsonValue.Create(text).ToJsonString()[1..^1];
}
