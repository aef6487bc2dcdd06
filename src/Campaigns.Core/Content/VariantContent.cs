namespace Campaigns.Core.Content;

/// <summary>One variant of a campaign (api.md, "Variants, links and languages"): its own template and translations.</summary>
/// <param name="Key">1–20 of <c>[A-Za-z0-9_-]</c>, unique within the campaign.</param>
/// <param name="Weight">A positive integer: the variant's share of the audience is its weight over the sum.</param>
/// <param name="Translations">Language (BCP 47 primary tag) → template; null or empty when none.</param>
public sealed record VariantContent(string Key, string Template, int Weight, IReadOnlyDictionary<string, string>? Translations = null);
