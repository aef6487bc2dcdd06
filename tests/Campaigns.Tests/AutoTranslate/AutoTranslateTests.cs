using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.CustomerEndpoints;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.AutoTranslate;

/// <summary>
/// api.md Part 2, "Personalization", <c>auto_translate</c>, through the whole graph: at the send, each language of the
/// audience without a translation gets the model's translation of <c>base_template</c> (<see cref="FakeLanguageModel"/>
/// answers by the target language), asked once per language and stored on the campaign; a translation that breaks a
/// template rule, or a failing model, leaves that language the untranslated template.
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
