namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// The campaign members of <c>accept</c>'s mixed sends (issue 16): three weighted variants, each with two translations,
/// and link tracking; every template carries a URL, so every message gets a short link (and stays within the 13 segments
/// the benchmark allows at worst).
/// </summary>
public static class MixedContent
{
    private const string Url = "https://shop.example.com/deals";

    public static IReadOnlyDictionary<string, object> Members { get; } = new Dictionary<string, object>
    {
        ["track_links"] = true,
        ["variants"] = new object[]
        {
            Variant("A", 2, "Hi {first_name}! {preferred_product} is 20% off this weekend: " + Url,
                sw: "Habari {first_name}! {preferred_product} punguzo la 20% wikendi hii: " + Url,
                fr: "Bonjour {first_name} ! {preferred_product} à -20 % ce week-end : " + Url),
            Variant("B", 1, "{first_name}, this weekend only: 20% off {preferred_product}. " + Url,
                sw: "{first_name}, wikendi hii tu: punguzo la 20% kwa {preferred_product}. " + Url,
                fr: "{first_name}, ce week-end seulement : -20 % sur {preferred_product}. " + Url),
            Variant("C", 1, "Weekend deal, {first_name}: {preferred_product} at 20% off. " + Url,
                sw: "Ofa ya wikendi, {first_name}: {preferred_product} kwa punguzo la 20%. " + Url,
                fr: "Offre du week-end, {first_name} : {preferred_product} à -20 %. " + Url),
        },
    };

    private static object Variant(string key, int weight, string template, string sw, string fr) =>
        new { key, weight, template, translations = new Dictionary<string, string> { ["sw"] = sw, ["fr"] = fr } };
}
