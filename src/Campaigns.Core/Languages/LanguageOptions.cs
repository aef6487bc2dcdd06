namespace Campaigns.Core.Languages;

/// <summary>Settings of the <c>Languages</c> configuration section (api.md, "Variants, links and languages").</summary>
public sealed class LanguageOptions
{
    public const string Section = "Languages";

    /// <summary>
    /// Region (ISO 3166 alpha-2, as libphonenumber names the phone's region) → its languages, most read first:
    /// <c>"KE": ["sw", "en"]</c>. A customer without a language of their own reads the first language of their phone's
    /// region; a region not listed gives none (the campaign's <c>default_language</c> then).
    /// </summary>
    public Dictionary<string, string[]> Regions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The map in effect when the configuration names no region (the API and the worker both render, so both read it
    /// here); configured regions replace it whole.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> BuiltInRegions = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["KE"] = ["sw", "en"],
        ["TZ"] = ["sw", "en"],
        ["UG"] = ["en", "sw"],
        ["RW"] = ["rw", "en", "fr"],
        ["CD"] = ["fr", "sw"],
        ["NG"] = ["en"],
        ["GH"] = ["en"],
        ["ZA"] = ["en"],
        ["GB"] = ["en"],
        ["US"] = ["en"],
        ["FR"] = ["fr"],
        ["SN"] = ["fr"],
        ["CI"] = ["fr"],
        ["DE"] = ["de"],
        ["ES"] = ["es"],
        ["PT"] = ["pt"],
    };
}
