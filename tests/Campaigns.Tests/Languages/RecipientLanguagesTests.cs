using Campaigns.Core.Content;
using Campaigns.Core.Languages;

namespace Campaigns.Tests.Languages;

/// <summary>
/// The language a recipient reads (the customer's, else their phone region's first, else the campaign's default) and
/// the template that language picks (its translation, else base_template in the campaign's default_language).
/// </summary>
public sealed class RecipientLanguagesTests
{
    private static readonly RecipientLanguages Languages = new(new Dictionary<string, string[]>
    {
        ["KE"] = ["sw", "en"],
        ["gb"] = ["EN"],   // any case in configuration
        ["JP"] = [],       // a region without languages gives none
    });

    [Theory]
    [InlineData("fr", "+254712345678", "de", "fr")]   // the customer's own, whatever the phone
    [InlineData(null, "+254712345678", "de", "sw")]   // the first of the phone's region
    [InlineData(null, "+442079460123", "de", "en")]   // configured lowercase
    [InlineData(null, "+81312345678", "de", "de")]    // a region listing no language: the campaign's
    [InlineData(null, "+12126041234", "de", "de")]    // a region not listed: the campaign's
    [InlineData(null, "not a phone", "de", "de")]     // only SQL around the API can store one
    public void The_language_is_the_customers_else_the_regions_first_else_the_campaigns(
        string? own, string phone, string campaignDefault, string expected)
    {
        Assert.Equal(expected, Languages.Resolve(own, phone, campaignDefault));
    }

    [Fact]
    public void A_configured_language_that_is_no_primary_subtag_is_refused_at_start()
    {
        var error = Assert.Throws<ArgumentException>(() => new RecipientLanguages(new Dictionary<string, string[]> { ["KE"] = ["en-GB"] }));

        Assert.StartsWith("Languages:Regions:KE: 'en-GB' must be a BCP 47 primary language subtag", error.Message);
    }

    [Theory]
    [InlineData("sw", "Habari {first_name}", "sw")]  // its translation
    [InlineData("fr", "Hello {first_name}", "en")]   // no translation: base_template, in the default language
    [InlineData("en", "Hello {first_name}", "en")]
    public void The_language_picks_its_translation_else_base_template(string language, string template, string templateLanguage)
    {
        var content = new CampaignContent("Hello {first_name}", "en", new Dictionary<string, string> { ["sw"] = "Habari {first_name}" });

        Assert.Equal(new CampaignContent.Choice(template, templateLanguage), content.Choose(null, language));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("SW", "sw")]
    [InlineData("Fil", "fil")]
    [InlineData("e", null)]
    [InlineData("engl", null)]
    [InlineData("en-GB", null)]
    [InlineData("e1", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_language_is_two_or_three_letters_stored_lowercase(string? given, string? stored)
    {
        Assert.Equal(stored, LanguageTag.Normalize(given));
    }
}
