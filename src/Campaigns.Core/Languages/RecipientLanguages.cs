using System.Collections.Frozen;
using PhoneNumbers;

namespace Campaigns.Core.Languages;

/// <summary>
/// The one rule for the language a recipient reads (api.md, "Variants, links and languages"): the customer's own
/// <c>language</c>; when absent, the first language of <c>Languages:Regions:&lt;REGION&gt;</c> for the region of the
/// customer's phone (libphonenumber's region for the E.164 number, such as <c>KE</c>); else the campaign's
/// <c>default_language</c>. The send and the preview both resolve here.
/// </summary>
public sealed class RecipientLanguages
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private readonly FrozenDictionary<string, string> _firstByRegion;

    /// <param name="regions">Region (ISO 3166 alpha-2, any case) → its languages, most read first; a region with none is ignored.</param>
    public RecipientLanguages(IReadOnlyDictionary<string, string[]> regions)
    {
        _firstByRegion = regions
            .Where(r => r.Value is [_, ..])
            .ToFrozenDictionary(r => r.Key.ToUpperInvariant(), r => LanguageTag.Normalize(r.Value[0])
                ?? throw new ArgumentException($"Languages:Regions:{r.Key}: '{r.Value[0]}' {LanguageTag.Invalid}", nameof(regions)),
                StringComparer.Ordinal);
    }

    /// <summary>The language of a recipient: their own, else their phone region's first, else <paramref name="campaignDefault"/>.</summary>
    public string Resolve(string? own, string phone, string campaignDefault) => own ?? OfPhone(phone) ?? campaignDefault;

    /// <summary>The first language configured for the region of an E.164 phone; null when it has none (or is no number).</summary>
    public string? OfPhone(string phone)
    {
        if (_firstByRegion.Count == 0)
        {
            return null;
        }
        try
        {
            var region = Phones.GetRegionCodeForNumber(Phones.Parse(phone, null));
            return region is not null && _firstByRegion.TryGetValue(region, out var language) ? language : null;
        }
        catch (NumberParseException)
        {
            // Only rows written around the API (by SQL) can hold a phone that is not E.164.
            return null;
        }
    }
}
