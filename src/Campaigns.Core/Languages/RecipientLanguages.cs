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

    /// <summary>
    /// Calling code → the language of every number that carries it, where the code alone decides: it belongs to one
    /// region (libphonenumber then names that region without looking further), or none of its regions has a language.
    /// Parsing is most of a translated send's cost per recipient; such numbers (nearly all) skip it.
    /// </summary>
    private readonly FrozenDictionary<int, string?> _byCallingCode;

    /// <param name="regions">Region (ISO 3166 alpha-2, any case) → its languages, most read first; a region with none is ignored.</param>
    public RecipientLanguages(IReadOnlyDictionary<string, string[]> regions)
    {
        _firstByRegion = regions
            .Where(r => r.Value is [_, ..])
            .ToFrozenDictionary(r => r.Key.ToUpperInvariant(), r => LanguageTag.Normalize(r.Value[0])
                ?? throw new ArgumentException($"Languages:Regions:{r.Key}: '{r.Value[0]}' {LanguageTag.Invalid}", nameof(regions)),
                StringComparer.Ordinal);
        _byCallingCode = Phones.GetSupportedCallingCodes()
            .Select(code => (Code: code, Regions: Phones.GetRegionCodesForCountryCode(code)))
            .Where(c => c.Regions.Count == 1 || c.Regions.All(region => !_firstByRegion.ContainsKey(region)))
            .ToFrozenDictionary(c => c.Code, c => c.Regions.Count == 1 ? _firstByRegion.GetValueOrDefault(c.Regions[0]) : null);
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
        if (CallingCodeOf(phone) is { } code && _byCallingCode.TryGetValue(code, out var byCode))
        {
            return byCode;
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

    /// <summary>
    /// The calling code of a well-formed E.164 number (calling codes are prefix-free: at most one of its first one, two
    /// or three digits is one); null for anything else, which goes through the parser.
    /// </summary>
    private static int? CallingCodeOf(string phone)
    {
        if (phone.Length is < 8 or > 16 || phone[0] != '+' || phone[1] == '0' || phone.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }
        for (int length = 1, code = 0; length <= 3; length++)
        {
            code = code * 10 + (phone[length] - '0');
            if (SupportedCallingCodes.Contains(code))
            {
                return code;
            }
        }
        return null;
    }

    private static readonly FrozenSet<int> SupportedCallingCodes = Phones.GetSupportedCallingCodes().ToFrozenSet();
}
