using Campaigns.Api.Languages;
using Campaigns.Core.Content;

namespace Campaigns.Tests.Languages;

/// <summary>Lingua's judgement of translations (offline): a warning only where a translation is clearly another language.</summary>
public sealed class TranslationCheckTests
{
    private static readonly TranslationCheck Check = new();

    public const string English = "Hello {first_name}, our big weekend sale starts today with twenty percent off everything in the shop.";
    public const string French = "Bonjour {first_name}, nos grandes soldes du week-end commencent aujourd'hui avec vingt pour cent de réduction.";
    public const string Swahili = "Habari {first_name}, ofa yetu kubwa ya wikendi inaanza leo, punguzo la asilimia ishirini kwa kila kitu dukani.";

    [Fact]
    public void A_translation_in_another_language_is_named_with_what_it_looks_like()
    {
        Assert.Equal("translations.fr does not look like French (detected: English)", Check.Warning("translations.fr", "fr", English));
        Assert.Equal("translations.sw does not look like Swahili (detected: French)", Check.Warning("translations.sw", "sw", French));
    }

    [Theory]
    [InlineData("en", "Hi {first_name}, your order is ready for pickup in {location}.")]
    [InlineData("sw", "Habari {first_name}, oda yako iko tayari kuchukuliwa.")]
    [InlineData("fr", "Bonjour {first_name}, votre commande est prête à retirer.")]
    [InlineData("es", "Hola {first_name}, tu pedido está listo para recoger.")]
    [InlineData("de", "Hallo {first_name}, deine Bestellung ist abholbereit.")]
    public void A_short_message_in_its_language_has_no_warning(string language, string template)
    {
        Assert.Null(Check.Warning($"translations.{language}", language, template));
    }

    [Fact]
    public void A_translation_in_its_language_has_no_warning()
    {
        Assert.Null(Check.Warning("translations.fr", "fr", French));
        Assert.Null(Check.Warning("translations.sw", "sw", Swahili));
        Assert.Null(Check.Warning("translations.en", "en", English));
    }

    [Fact]
    public void Warnings_list_every_bad_translation_in_language_order()
    {
        var warnings = Check.Warnings(new Dictionary<string, string> { ["sw"] = French, ["fr"] = English, ["en"] = English });

        Assert.Equal(["translations.fr does not look like French (detected: English)", "translations.sw does not look like Swahili (detected: French)"],
            warnings);
    }

    [Fact]
    public void Variant_translations_are_checked_after_the_campaigns_and_named_by_their_variant()
    {
        var warnings = Check.Warnings(new Dictionary<string, string> { ["fr"] = French },
        [
            new VariantContent("a", English, 1, new Dictionary<string, string> { ["fr"] = French, ["sw"] = Swahili }),
            new VariantContent("b", English, 1),
            new VariantContent("c", English, 1, new Dictionary<string, string> { ["sw"] = English, ["fr"] = English, ["en"] = English }),
        ]);

        Assert.Equal(
            [
                "variants[2].translations.fr does not look like French (detected: English)",
                "variants[2].translations.sw does not look like Swahili (detected: English)",
            ],
            warnings);
    }

    [Theory]
    [InlineData("fr", "Hi {first_name}, your order is here")]   // English, but 17 letters: fewer than 25 are not judged
    [InlineData("so", "Hi {first_name}, sale today, come in")]  // low accuracy takes such short English for Somali
    [InlineData("fr", "Hi {first_name}!")]                       // too short to judge: placeholders are no letters
    [InlineData("fr", "{first_name} {preferred_product} {location} https://shop.example/summer-sale-now")]
    [InlineData("ja", English)]                                  // a language the check does not know: no judgement
    public void What_it_cannot_judge_passes_without_a_warning(string language, string template)
    {
        Assert.Null(Check.Warning($"translations.{language}", language, template));
    }
}
