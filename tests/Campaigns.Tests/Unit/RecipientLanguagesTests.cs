using Campaigns.Core.Languages;
using PhoneNumbers;

namespace Campaigns.Tests.Unit;

/// <summary>
/// The phone's language (the second rule of <see cref="RecipientLanguages"/>) answers from the calling code where the
/// code alone decides, and exactly as the parser's region would everywhere: checked against libphonenumber itself.
/// </summary>
public sealed class RecipientLanguagesTests
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static TheoryData<string> Maps => ["built-in", "nanp-split", "kenya-only"];

    [Theory]
    [MemberData(nameof(Maps))]
    public void Every_regions_numbers_get_the_language_of_the_region_the_parser_finds(string map)
    {
        var regions = RegionsFor(map);
        var languages = new RecipientLanguages(regions);
        var numbers = Phones.GetSupportedRegions()
            .SelectMany(region => new[] { Phones.GetExampleNumber(region), Phones.GetExampleNumberForType(region, PhoneNumberType.MOBILE) })
            .Concat(Phones.GetSupportedGlobalNetworkCallingCodes().Select(code => Phones.GetExampleNumberForNonGeoEntity(code)))
            .Where(number => number is not null)
            .Select(number => Phones.Format(number, PhoneNumberFormat.E164))
            // Numbers no region's patterns match: on a shared code (+1) the parser names no region for them.
            .Concat(["+15550000000", "+79990000000", "+447000000000", "+254700000000", "+2541234567890"])
            .Distinct()
            .ToArray();
        Assert.True(numbers.Length > 400, $"only {numbers.Length} numbers");

        foreach (var phone in numbers)
        {
            var region = Phones.GetRegionCodeForNumber(Phones.Parse(phone, null));
            var expected = region is not null && regions.TryGetValue(region, out var list) ? LanguageTag.Normalize(list[0]) : null;
            Assert.True(expected == languages.OfPhone(phone), $"{phone} ({region}): expected {expected ?? "none"}, got {languages.OfPhone(phone) ?? "none"}");
        }
    }

    [Fact]
    public void A_shared_calling_code_whose_regions_read_differently_is_told_apart_by_the_number()
    {
        var languages = new RecipientLanguages(RegionsFor("nanp-split"));

        Assert.Equal("fr", languages.OfPhone(Phones.Format(Phones.GetExampleNumber("CA"), PhoneNumberFormat.E164)));
        Assert.Equal("en", languages.OfPhone(Phones.Format(Phones.GetExampleNumber("US"), PhoneNumberFormat.E164)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0712345678")]
    [InlineData("+")]
    [InlineData("+0254712345678")]
    [InlineData("+99912345678")]
    public void What_is_no_e164_number_has_no_language(string phone) =>
        Assert.Null(new RecipientLanguages(LanguageOptions.BuiltInRegions).OfPhone(phone));

    private static IReadOnlyDictionary<string, string[]> RegionsFor(string map) => map switch
    {
        "built-in" => LanguageOptions.BuiltInRegions,
        "nanp-split" => new Dictionary<string, string[]> { ["US"] = ["en"], ["CA"] = ["fr", "en"], ["KE"] = ["sw"], ["GB"] = ["en"] },
        _ => new Dictionary<string, string[]> { ["KE"] = ["sw"] },
    };
}
