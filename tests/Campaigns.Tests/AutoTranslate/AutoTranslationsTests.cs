using System.Text.Json.Nodes;
using Campaigns.Api.Data;
using Campaigns.Core.Personalization;
using Campaigns.Core.Translation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Campaigns.Tests.AutoTranslate.TemplateTranslatorTests;

namespace Campaigns.Tests.AutoTranslate;

/// <summary>
/// One send's translations (<see cref="AutoTranslations"/>), with a model answering in process: each language asked once
/// whatever the chunks it appears in, never the default language, one of the campaign's own, or one stored by an
/// earlier send; what the send stores.
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
        var translator = new TemplateTranslator(new PersonalizationModel(model),
            new PersonalizationMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            new ModelCalls(Options.Create(new PersonalizationOptions())), NullLogger<TemplateTranslator>.Instance);
        var translations = new AutoTranslations(translator, 1, "sms", Template, "en", new Dictionary<string, string> { ["es"] = "¡Hola {first_name}!" },
            """{"de":"Hallo {first_name}!","it":null}""", _ => null);

        Assert.True(await translations.LearnAsync(["fr", "en", "fr", "es", "de", "it"], Ct));
        Assert.False(await translations.LearnAsync(["fr", "sw", "sw"], Ct));
        Assert.False(await translations.LearnAsync(["sw", "fr", "en"], Ct));

        Assert.Equal([("fr", 1), ("sw", 1), ("es", 0), ("de", 0)], new[] { "fr", "sw", "es", "de" }.Select(l => (l, model.Calls(l))));
        Assert.Equal(
            [("de", "Hallo {first_name}!"), ("es", "¡Hola {first_name}!"), ("fr", "Salut {first_name} !")],
            translations.Translations.OrderBy(t => t.Key).Select(t => (t.Key, t.Value)));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["fr"] = "Salut {first_name} !", ["sw"] = null }, JsonNode.Parse(translations.LearnedJson!)));
    }
}
