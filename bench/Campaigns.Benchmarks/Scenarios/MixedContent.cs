namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// The campaign members of <c>accept</c>'s mixed sends (issue 16): three weighted variants, each with two translations,
/// and link tracking; every template carries a URL, so every message gets a short link.
/// </summary>
public static class MixedContent
{
    private const string Url = "https://shop.example.com/deals";

    public static IReadOnlyDictionary<string, object> Members { get; } = new Dictionary<string, object>
    {
        ["track_links"] = true,
        ["variants"] = new object[]
        {
            Variant("A", 2, "Hi {first_name}! {preferred_product} is 20% off in {location} this weekend: " + Url,
                sw: "Habari {first_name}! {preferred_product} ni punguzo la 20% huko {location} wikendi hii: " + Url,
                fr: "Bonjour {first_name} ! {preferred_product} à -20 % à {location} ce week-end : " + Url),
            Variant("B", 1, "{first_name}, this weekend only: 20% off {preferred_product} in {location}. " + Url,
                sw: "{first_name}, wikendi hii tu: punguzo la 20% kwa {preferred_product} huko {location}. " + Url,
                fr: "{first_name}, ce week-end seulement : -20 % sur {preferred_product} à {location}. " + Url),
            Variant("C", 1, "Weekend deal in {location}, {first_name}: {preferred_product} at 20% off. " + Url,
                sw: "Ofa ya wikendi huko {location}, {first_name}: {preferred_product} kwa punguzo la 20%. " + Url,
                fr: "Offre du week-end à {location}, {first_name} : {preferred_product} à -20 %. " + Url),
        },
    };

    private static object Variant(string key, int weight, string template, string sw, string fr) =>
        new { key, weight, template, translations = new Dictionary<string, string> { ["sw"] = sw, ["fr"] = fr } };
}
