using Campaigns.Core.Content;

namespace Campaigns.Tests.Variants;

/// <summary>The one rule choosing a recipient's template, and the stored forms of variants and A/B tests (no graph).</summary>
public sealed class CampaignContentTests
{
    [Fact]
    public void A_variant_uses_its_translation_else_its_template_and_without_variants_the_base()
    {
        var content = new CampaignContent("Base", translations: new Dictionary<string, string> { ["sw"] = "Base sw" },
            variants: [new("a", "A", 1, new Dictionary<string, string> { ["sw"] = "A sw" }), new("b", "B", 1)]);

        Assert.Equal(new CampaignContent.Choice("A", "en"), content.Choose("a", "en"));
        Assert.Equal(new CampaignContent.Choice("A sw", "sw"), content.Choose("a", "sw"));
        Assert.Equal(new CampaignContent.Choice("B", "en"), content.Choose("b", "sw"));
        Assert.Equal(new CampaignContent.Choice("Base sw", "sw"), content.Choose(null, "sw"));
        Assert.Equal(new CampaignContent.Choice("Base", "en"), content.Choose(null, "fr"));
    }

    [Fact]
    public void Variants_and_ab_test_round_trip_through_their_stored_json()
    {
        VariantContent[] variants = [new("a", "A {first_name}", 3, new Dictionary<string, string> { ["fr"] = "A fr" }), new("b-2", "B", 1)];
        var test = new AbTest(10, AbTestMetric.Clicked, "PT2H");

        var settings = VariantSettings.FromJson(
            $$"""{"variants": {{CampaignVariants.ToJson(variants)}}, "ab_test": {{test.ToJson()}}, "winner": "b-2"}""");

        Assert.Equal(["a", "b-2"], settings.Variants!.Select(v => v.Key));
        Assert.Equal([3, 1], settings.Variants!.Select(v => v.Weight));
        Assert.Equal("A fr", settings.Variants![0].Translations!["fr"]);
        Assert.Null(settings.Variants![1].Translations);
        Assert.Equal(test, settings.AbTest);
        Assert.Equal("b-2", settings.Winner);
        Assert.Same(VariantSettings.None, VariantSettings.FromJson(null));
        Assert.Null(VariantSettings.FromJson("""{"variants": [{"key":"a","template":"A","weight":1},{"key":"b","template":"B","weight":1}], "ab_test": null, "winner": null}""").AbTest);
    }
}
