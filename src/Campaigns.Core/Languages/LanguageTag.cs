namespace Campaigns.Core.Languages;

/// <summary>
/// A language as the API spells it (api.md, "Variants, links and languages"): a BCP 47 primary language subtag, two or
/// three ASCII letters (<c>en</c>, <c>sw</c>, <c>fr</c>, <c>haw</c>). Subtags are case-insensitive in BCP 47, so any
/// case is accepted and stored lowercase; a region or script (<c>en-GB</c>) is refused: templates are chosen by the
/// primary language alone.
/// </summary>
public static class LanguageTag
{
    /// <summary>The lowercase form of a primary language subtag, or null when <paramref name="value"/> is not one.</summary>
    public static string? Normalize(string? value)
    {
        if (value is not { Length: >= 2 and <= 3 })
        {
            return null;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetter(c))
            {
                return null;
            }
        }
        return value.ToLowerInvariant();
    }

    public const string Invalid = "must be a BCP 47 primary language subtag: 2 or 3 letters such as en, sw, fr (no region: en, not en-GB)";
}
