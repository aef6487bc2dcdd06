namespace Campaigns.Api.Languages;

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
}
