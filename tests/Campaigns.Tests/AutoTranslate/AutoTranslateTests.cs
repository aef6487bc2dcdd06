using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.CustomerEndpoints;
using Campaigns.Core.Content;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Variants;
using Dapper;

namespace Campaigns.Tests.AutoTranslate;

/// <summary>
/// api.md Part 2, "Personalization", <c>auto_translate</c>, through the whole graph: at the send, each language of the
/// audience without a translation gets the model's translation of <c>base_template</c>, or with variants of each variant's
/// template (<see cref="FakeLanguageModel"/> answers by the target language), asked once per template and language and
/// stored on the campaign; a translation that breaks a template rule, or a failing model, leaves that language the
/// untranslated template. An A/B test's rest gets the winner's stored translation from the worker.
/// </summary>
public sealed class AutoTranslateTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Spanish = "Hola {first_name}, la oferta empieza hoy.";

    /// <summary>A base template only this test uses, so the model's calls for it can be counted.</summary>
    private static string UniqueTemplate() => $"Hello {{first_name}}, our sale {Guid.NewGuid():N} starts today.";

    [Fact]
    public async Task Each_missing_language_is_translated_once_and_its_recipients_get_the_translation_in_their_language()
    {
        var template = UniqueTemplate();
        var campaign = await CreateAsync(template, new JsonObject { ["auto_translate"] = true, ["translations"] = new JsonObject { ["es"] = Spanish } });
        Assert.True(campaign["auto_translate"]!.GetValue<bool>());
        var id = campaign.Id();
        var french1 = await CustomerAsync("Ama", "fr");
        var french2 = await CustomerAsync("Luc", "fr");
        // A Kenyan phone without a language reads the region's first: sw.
        var swahili = await CustomerAsync("Juma", language: null);
        var english = await CustomerAsync("Tom", "en");
        var spanish = await CustomerAsync("Ana", "es");
        var german = await CustomerAsync("Lena", FakeLanguageModel.Translations.DropsPlaceholders);
        var italian = await CustomerAsync("Gino", FakeLanguageModel.Translations.Fails);

        (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = new[] { french1, french2, swahili, english, spanish, german, italian } }, Ct))
            .Expect(HttpStatusCode.Accepted);

        var expected = new Dictionary<long, (string Text, string Language)>
        {
            [french1] = (FakeLanguageModel.Translations.Of(template, "fr").Replace("{first_name}", "Ama"), "fr"),
            [french2] = (FakeLanguageModel.Translations.Of(template, "fr").Replace("{first_name}", "Luc"), "fr"),
            [swahili] = (FakeLanguageModel.Translations.Of(template, "sw").Replace("{first_name}", "Juma"), "sw"),
            [english] = (template.Replace("{first_name}", "Tom"), "en"),
            [spanish] = (Spanish.Replace("{first_name}", "Ana"), "es"),
            // The German answer dropped {first_name}; the model failed for Italian: both read the untranslated template.
            [german] = (template.Replace("{first_name}", "Lena"), "en"),
            [italian] = (template.Replace("{first_name}", "Gino"), "en"),
        };
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Text, e.Value.Language)), await MessagesAsync(id));
        // Once per missing language; never for the default language or a language with a translation of its own.
        Assert.Equal(
            [("fr", 1), ("sw", 1), ("de", 1), ("it", 1), ("en", 0), ("es", 0)],
            new[] { "fr", "sw", "de", "it", "en", "es" }.Select(l => (l, fixture.Model.TranslationsInto(template, l))));
        // Stored on the campaign: the failed languages as null, so nobody asks the model for them again.
        var stored = JsonNode.Parse(await StoredAsync(id) ?? "null");
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["de"] = null,
            ["fr"] = FakeLanguageModel.Translations.Of(template, "fr"),
            ["it"] = null,
            ["sw"] = FakeLanguageModel.Translations.Of(template, "sw"),
        }, stored), stored?.ToJsonString());

        // The preview shows the stored translation without asking again.
        var preview = (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview", new { customer_id = french1 }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((expected[french1].Text, "fr"), (preview.Text("rendered_message"), preview.Text("language")));
        Assert.Equal(1, fixture.Model.TranslationsInto(template, "fr"));
    }

    [Fact]
    public async Task The_preview_shows_the_models_translation_of_that_moment_without_storing_it()
    {
        var template = UniqueTemplate();
        var id = (await CreateAsync(template, new JsonObject { ["auto_translate"] = true })).Id();
        var french = await CustomerAsync("Ama", "fr");
        var german = await CustomerAsync("Lena", FakeLanguageModel.Translations.DropsPlaceholders);

        var previewFrench = (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview", new { customer_id = french }, Ct)).Expect(HttpStatusCode.OK).Json;
        var previewGerman = (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview", new { customer_id = german }, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal((FakeLanguageModel.Translations.Of(template, "fr").Replace("{first_name}", "Ama"), FakeLanguageModel.Translations.Of(template, "fr"), "fr"),
            (previewFrench.Text("rendered_message"), previewFrench.Text("used_template"), previewFrench.Text("language")));
        Assert.Equal((template.Replace("{first_name}", "Lena"), template, "en"),
            (previewGerman.Text("rendered_message"), previewGerman.Text("used_template"), previewGerman.Text("language")));
        Assert.Null(await StoredAsync(id));
        Assert.Equal((1, 1), (fixture.Model.TranslationsInto(template, "fr"), fixture.Model.TranslationsInto(template, "de")));
    }

    [Fact]
    public async Task With_variants_each_variants_template_is_translated_once_per_language_it_lacks_and_each_recipient_gets_their_variants()
    {
        var (baseTemplate, a, b) = (UniqueTemplate(), UniqueTemplate(), UniqueTemplate());
        var campaign = await CreateAsync(baseTemplate, new JsonObject { ["auto_translate"] = true, ["variants"] = TwoVariants(a, b) });
        var id = campaign.Id();
        var variants = VariantCalls.VariantsOf(campaign);
        var customers = await AudienceAsync();

        (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = customers.Keys.ToArray() }, Ct)).Expect(HttpStatusCode.Accepted);

        var templates = new Dictionary<string, string> { ["a"] = a, ["b"] = b };
        Assert.Equal(
            customers.OrderBy(c => c.Key).Select(c =>
            {
                var variant = VariantAssignment.Pick(id, c.Key, variants);
                return (c.Key, variant, Expected(templates[variant], variant, c.Value.Language, c.Value.Name));
            }),
            (await _api.MessagesAsync(id, Ct)).Select(m => (m["customer_id"]!.GetValue<long>(), m.Text("variant"), (m.Text("rendered_content"), m.Text("language"))))
                .OrderBy(m => m.Item1));
        // Once per variant and language it lacks (a has French of its own), for the whole audience whatever each one's variant;
        // never base_template, which nobody gets.
        Assert.Equal(
            [("a", "fr", 0), ("a", "sw", 1), ("a", "de", 1), ("a", "it", 1), ("a", "en", 0),
             ("b", "fr", 1), ("b", "sw", 1), ("b", "de", 1), ("b", "it", 1), ("b", "en", 0)],
            from key in new[] { "a", "b" } from language in Languages select (key, language, fixture.Model.TranslationsInto(templates[key], language)));
        Assert.Empty(fixture.Model.PromptsMentioning(baseTemplate));
        // Stored by variant, the failed languages as null.
        var stored = JsonNode.Parse(await StoredAsync(id) ?? "null");
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["variants"] = new JsonObject
            {
                ["a"] = new JsonObject { ["de"] = null, ["it"] = null, ["sw"] = FakeLanguageModel.Translations.Of(a, "sw") },
                ["b"] = new JsonObject
                {
                    ["de"] = null, ["fr"] = FakeLanguageModel.Translations.Of(b, "fr"), ["it"] = null, ["sw"] = FakeLanguageModel.Translations.Of(b, "sw"),
                },
            },
        }, stored), stored?.ToJsonString());

        // The preview shows the stored translation of the variant asked for, without asking again.
        var swahili = customers.First(c => c.Value.Language == "sw");
        var preview = (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview", new { customer_id = swahili.Key, variant = "b" }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal((Expected(b, "b", "sw", swahili.Value.Name), "b"),
            ((preview.Text("rendered_message"), preview.Text("language")), preview.Text("variant")));
        Assert.Equal(1, fixture.Model.TranslationsInto(b, "sw"));
    }

    [Fact]
    public async Task An_ab_tests_sample_gets_each_ones_variant_and_the_rest_the_winners_translation_in_their_language()
    {
        var (a, b) = (UniqueTemplate(), UniqueTemplate());
        var campaign = await CreateAsync(UniqueTemplate(), new JsonObject
        {
            ["auto_translate"] = true,
            ["variants"] = TwoVariants(a, b),
            ["ab_test"] = new JsonObject { ["sample_percent"] = 50, ["metric"] = "delivered", ["decide_after"] = "PT1H" },
        });
        var id = campaign.Id();
        var variants = VariantCalls.VariantsOf(campaign);
        var customers = await AudienceAsync();
        // Each language once in the sample (the half of lowest rank) and once in the rest: dealt again in the order of rank.
        var byRank = customers.Keys.OrderBy(c => VariantAssignment.SampleRank(id, c)).ToArray();
        var languages = byRank.Select((_, i) => Languages[i % Languages.Length]).ToArray();
        await fixture.Database.ExecuteAsync("""
            UPDATE customers SET language = u.language FROM unnest(@byRank, @languages) AS u(id, language) WHERE customers.id = u.id
            """, new { byRank, languages }, Ct);
        for (var i = 0; i < byRank.Length; i++)
        {
            customers[byRank[i]] = (customers[byRank[i]].Name, languages[i]);
        }
        var sample = byRank.Take(customers.Count / 2).ToHashSet();
        (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = customers.Keys.ToArray() }, Ct)).Expect(HttpStatusCode.Accepted);

        await _api.WaitForCampaignAsync(id, c => c["stats"]!["pending"]!.GetValue<int>() == customers.Count - sample.Count
            && c["stats"]!["sending"]!.GetValue<int>() == 0, TimeSpan.FromSeconds(60), Ct);
        await fixture.Database.ExecuteAsync("UPDATE campaigns SET decide_at = now() WHERE id = @id", new { id }, Ct);
        var done = await _api.WaitForCampaignAsync(id, c => c["status"]!.GetValue<string>() is "sent" or "failed", TimeSpan.FromSeconds(60), Ct);

        // The worker renders the rest with the winner's template and the model's answers stored at the send: no call of its own.
        var winner = done.Text("winner");
        var templates = new Dictionary<string, string> { ["a"] = a, ["b"] = b };
        Assert.Equal(
            customers.OrderBy(c => c.Key).Select(c =>
            {
                var variant = sample.Contains(c.Key) ? VariantAssignment.Pick(id, c.Key, variants) : winner;
                return (c.Key, variant, Expected(templates[variant], variant, c.Value.Language, c.Value.Name));
            }),
            (await _api.MessagesAsync(id, Ct)).Select(m => (m["customer_id"]!.GetValue<long>(), m.Text("variant"), (m.Text("rendered_content"), m.Text("language"))))
                .OrderBy(m => m.Item1));
        Assert.Equal([1, 1, 1, 1], new[] { (a, "sw"), (a, "de"), (b, "fr"), (b, "it") }.Select(t => fixture.Model.TranslationsInto(t.Item1, t.Item2)));
    }

    [Fact]
    public async Task The_preview_of_a_variant_asks_the_model_for_that_variants_template_only()
    {
        var (a, b) = (UniqueTemplate(), UniqueTemplate());
        var id = (await CreateAsync(UniqueTemplate(), new JsonObject { ["auto_translate"] = true, ["variants"] = TwoVariants(a, b) })).Id();
        var swahili = await CustomerAsync("Juma", "sw");

        var preview = (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview", new { customer_id = swahili, variant = "a" }, Ct))
            .Expect(HttpStatusCode.OK).Json;

        Assert.Equal((FakeLanguageModel.Translations.Of(a, "sw"), "sw"), (preview.Text("used_template"), preview.Text("language")));
        Assert.Equal((1, 0), (fixture.Model.TranslationsInto(a, "sw"), fixture.Model.TranslationsInto(b, "sw")));
        Assert.Null(await StoredAsync(id));
    }

    private const string VariantFrench = "Bonjour {first_name}, la vente commence aujourd'hui.";

    private static readonly string[] Languages = ["fr", "sw", FakeLanguageModel.Translations.DropsPlaceholders, FakeLanguageModel.Translations.Fails, "en"];

    /// <summary>Variants a (with a French translation of its own) and b, of equal weight.</summary>
    private static JsonArray TwoVariants(string a, string b) => new(
        new JsonObject { ["key"] = "a", ["template"] = a, ["weight"] = 1, ["translations"] = new JsonObject { ["fr"] = VariantFrench } },
        new JsonObject { ["key"] = "b", ["template"] = b, ["weight"] = 1 });

    /// <summary>Two customers of each of <see cref="Languages"/> (the Swahili ones by their Kenyan phone), by id.</summary>
    private async Task<Dictionary<long, (string Name, string Language)>> AudienceAsync()
    {
        var audience = new Dictionary<long, (string Name, string Language)>();
        foreach (var language in Languages)
        {
            for (var i = 0; i < 2; i++)
            {
                var name = $"{language}{i}";
                audience[await CustomerAsync(name, language == "sw" ? null : language)] = (name, language);
            }
        }
        return audience;
    }

    /// <summary>
    /// What a recipient of <paramref name="language"/> gets in a variant of <see cref="TwoVariants"/>: a's own French; the model's
    /// French or Swahili; else (English, and the languages whose answer was refused or failed) the variant's template in en.
    /// </summary>
    private static (string Text, string Language) Expected(string template, string variant, string language, string name) =>
        (variant, language) switch
        {
            ("a", "fr") => (VariantFrench.Replace("{first_name}", name), "fr"),
            (_, "fr" or "sw") => (FakeLanguageModel.Translations.Of(template, language).Replace("{first_name}", name), language),
            _ => (template.Replace("{first_name}", name), "en"),
        };

    [Fact]
    public async Task Auto_translate_is_false_by_default_and_a_PATCH_sets_and_clears_it()
    {
        var campaign = await CreateAsync(UniqueTemplate(), []);
        Assert.False(campaign["auto_translate"]!.GetValue<bool>());
        var id = campaign.Id();

        var set = (await _api.PatchJsonAsync($"/campaigns/{id}", new { auto_translate = true }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.True(set["auto_translate"]!.GetValue<bool>());
        // Another change leaves it as it is.
        (await _api.PatchJsonAsync($"/campaigns/{id}", new { name = Unique.Name("renamed") }, Ct)).Expect(HttpStatusCode.OK);
        Assert.True((await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json["auto_translate"]!.GetValue<bool>());
        var cleared = (await _api.PatchJsonAsync($"/campaigns/{id}", new { auto_translate = false }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.False(cleared["auto_translate"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("null")]
    public async Task An_auto_translate_that_is_no_boolean_is_invalid_json(string value)
    {
        var body = $$"""{"name":"{{Unique.Name("auto")}}","channel":"sms","base_template":"Hi {first_name}","auto_translate":{{value}}}""";
        (await _api.PostJsonAsync("/campaigns", body, Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    private async Task<JsonNode> CreateAsync(string template, JsonObject members)
    {
        var body = new JsonObject { ["name"] = Unique.Name("auto"), ["channel"] = "sms", ["base_template"] = template };
        foreach (var (key, value) in members)
        {
            body[key] = value?.DeepClone();
        }
        return (await _api.PostJsonAsync("/campaigns", body.ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json;
    }

    private async Task<long> CustomerAsync(string firstName, string? language) =>
        (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), first_name = firstName, language }, Ct)).Id();

    private async Task<IEnumerable<(long, string, string)>> MessagesAsync(long campaign) =>
        (await _api.GetJsonAsync($"/campaigns/{campaign}/messages?page_size=100", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray()
            .Select(m => (m!["customer_id"]!.GetValue<long>(), m.Text("rendered_content"), m.Text("language"))).OrderBy(m => m.Item1);

    private async Task<string?> StoredAsync(long campaign)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT auto_translations::text FROM campaigns WHERE id = @campaign", new { campaign }, cancellationToken: Ct));
    }
}
