using System.Text.Json.Nodes;
using Campaigns.Api.Data;
using Campaigns.Core.Content;
using Campaigns.Core.Personalization;
using Campaigns.Core.Translation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Campaigns.Tests.AutoTranslate.TemplateTranslatorTests;

namespace Campaigns.Tests.AutoTranslate;

/// <summary>
/// One send's translations (<see cref="AutoTranslations"/>), with a model answering in process: each language asked once
/// per template (each variant's, with variants) whatever the chunks it appears in, never the default language, one of the
/// template's own, or one stored by an earlier send; what the send stores.
/// </summary>
public sealed class AutoTranslationsTests
{
    private const string Template = "Hi {first_name}!";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_language_is_asked_once_across_chunks_and_only_when_nothing_covers_it()
    {
        var model = new AnsweringModel(new Dictionary<string, Func<CancellationToken, Task<string>>>
        {
            ["fr"] = _ => Task.FromResult("Salut {first_name} !"),
            ["sw"] = _ => Task.FromResult("Habari!"), // drops {first_name}
            ["es"] = _ => Task.FromResult("never asked: a translation of the campaign's own"),
            ["de"] = _ => Task.FromResult("never asked: stored by an earlier send"),
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var translations = new AutoTranslations(Translator(model, services), 1, "sms",
            new CampaignContent(Template, "en", new Dictionary<string, string> { ["es"] = "¡Hola {first_name}!" }),
            """{"de":"Hallo {first_name}!","it":null}""", _ => null);

        Assert.True(await translations.LearnAsync(["fr", "en", "fr", "es", "de", "it"], Ct));
        Assert.False(await translations.LearnAsync(["fr", "sw", "sw"], Ct));
        Assert.False(await translations.LearnAsync(["sw", "fr", "en"], Ct));

        Assert.Equal([("fr", 1), ("sw", 1), ("es", 0), ("de", 0)], new[] { "fr", "sw", "es", "de" }.Select(l => (l, model.Calls(l))));
        Assert.Equal(
            [("de", "Hallo {first_name}!"), ("es", "¡Hola {first_name}!"), ("fr", "Salut {first_name} !")],
            translations.Content.Translations.OrderBy(t => t.Key).Select(t => (t.Key, t.Value)));
        // The column after the send: the stored answers and the learned ones.
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["de"] = "Hallo {first_name}!", ["fr"] = "Salut {first_name} !", ["it"] = null, ["sw"] = null },
            JsonNode.Parse(translations.StoredJson!)), translations.StoredJson);
    }

    [Fact]
    public async Task With_variants_each_variants_template_is_asked_once_per_language_it_lacks_and_base_template_never()
    {
        var model = new AnsweringModel(new Dictionary<string, Func<CancellationToken, Task<string>>>
        {
            ["fr"] = _ => Task.FromResult("[fr] {first_name}"),
            ["sw"] = _ => Task.FromResult("[sw] {first_name}"),
            ["de"] = _ => Task.FromResult("[de] {first_name}"),
            ["it"] = _ => Task.FromResult("{coupon}"), // no template of {first_name}: refused
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var own = new CampaignContent(Template, "en", variants:
        [
            new VariantContent("a", "A {first_name}", 1, new Dictionary<string, string> { ["fr"] = "Le A {first_name}" }),
            new VariantContent("b", "B {first_name}", 1),
        ]);
        // Stored by an earlier send: base_template's (the shape before variants were translated) and b's German.
        var translations = new AutoTranslations(Translator(model, services), 1, "sms", own,
            """{"sw":"never used: base_template is nobody's","variants":{"b":{"de":"Hallo B {first_name}"}}}""", _ => null);

        Assert.True(await translations.LearnAsync(["fr", "de", "it", "sw", "en"], Ct));
        Assert.False(await translations.LearnAsync(["de", "it"], Ct));

        // a: de, it, sw (fr is its own); b: fr, it, sw (de stored). Never en, the default language.
        Assert.Equal([("fr", 1), ("de", 1), ("it", 2), ("sw", 2), ("en", 0)],
            new[] { "fr", "de", "it", "sw", "en" }.Select(l => (l, model.Calls(l))));
        var content = translations.Content;
        Assert.Equal(
            [("a", "fr", "Le A {first_name}"), ("a", "de", "[de] {first_name}"), ("a", "it", "A {first_name}"), ("a", "sw", "[sw] {first_name}"),
             ("b", "fr", "[fr] {first_name}"), ("b", "de", "Hallo B {first_name}"), ("b", "it", "B {first_name}"), ("b", "sw", "[sw] {first_name}")],
            from key in new[] { "a", "b" } from language in new[] { "fr", "de", "it", "sw" }
            select (key, language, content.Choose(key, language).Template));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "sw": "never used: base_template is nobody's",
              "variants": {
                "a": { "de": "[de] {first_name}", "it": null, "sw": "[sw] {first_name}" },
                "b": { "de": "Hallo B {first_name}", "fr": "[fr] {first_name}", "it": null, "sw": "[sw] {first_name}" }
              }
            }
            """), JsonNode.Parse(translations.StoredJson!)), translations.StoredJson);
    }

    [Fact]
    public async Task A_preview_of_one_variant_asks_for_that_variants_template_only()
    {
        var model = new AnsweringModel(new Dictionary<string, Func<CancellationToken, Task<string>>>
        {
            ["fr"] = _ => Task.FromResult("[fr] {first_name}"),
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var own = new CampaignContent(Template, "en", variants: [new VariantContent("a", "A {first_name}", 1), new VariantContent("b", "B {first_name}", 1)]);
        var translations = new AutoTranslations(Translator(model, services), 1, "sms", own, null, _ => null, onlyVariant: "b");

        Assert.Null(translations.StoredJson);
        Assert.True(await translations.LearnAsync(["fr"], Ct));

        Assert.Equal(1, model.Calls("fr"));
        Assert.Equal(("[fr] {first_name}", "fr"), (translations.Content.Choose("b", "fr").Template, translations.Content.Choose("b", "fr").Language));
        Assert.Equal(("A {first_name}", "en"), (translations.Content.Choose("a", "fr").Template, translations.Content.Choose("a", "fr").Language));
    }

    private static TemplateTranslator Translator(AnsweringModel model, ServiceProvider services) =>
        new(new PersonalizationModel(model), new PersonalizationMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            new ModelCalls(Options.Create(new PersonalizationOptions())), NullLogger<TemplateTranslator>.Instance);
}
