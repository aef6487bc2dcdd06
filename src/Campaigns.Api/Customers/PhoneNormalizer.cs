using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace Campaigns.Api.Customers;

/// <summary>
/// Turns a phone number as a person writes it (<c>0712 345 678</c>, <c>+254 712-345-678</c>) into E.164
/// (<c>+254712345678</c>). A number without <c>+</c> is read in the configured default region. Only
/// valid numbers pass: the right length and a number range in use, per libphonenumber's metadata.
/// </summary>
public sealed class PhoneNormalizer
{
    /// <summary>Longer input is not a phone number however it is formatted.</summary>
    public const int MaxInputLength = 40;

    /// <summary>
    /// The longest E.164 form <see cref="TryNormalize"/> returns: <c>+</c>, a country code of up to 3 digits
    /// and a national number of up to 17, libphonenumber's bound (E.164 says 15 digits in all, but the
    /// library accepts some longer German numbers).
    /// </summary>
    public const int MaxNormalizedLength = 1 + 3 + 17;

    // The library's instance is a thread-safe singleton holding the compiled metadata.
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public PhoneNormalizer(IOptions<CustomersOptions> options)
    {
        DefaultRegion = options.Value.DefaultRegion;
        // Loads the region's metadata and warms the library's patterns now rather than on the first request.
        TryNormalize("+254712345678", out _);
    }

    public string DefaultRegion { get; }

    public static bool IsSupportedRegion(string region) => Util.GetSupportedRegions().Contains(region);

    /// <summary>The reason shown for a phone that does not normalize.</summary>
    public string InvalidMessage =>
        $"phone is not a valid phone number (write it with + and the country code, or as a {DefaultRegion} number)";

    /// <summary>
    /// True with the E.164 form when <paramref name="raw"/> is a valid number written with digits, spaces,
    /// <c>- . ( ) /</c> and an optional leading <c>+</c>. Text around a number ("call 0712…"), letters and
    /// extensions are refused rather than guessed at.
    /// </summary>
    public bool TryNormalize(string? raw, [NotNullWhen(true)] out string? e164)
    {
        e164 = null;
        if (raw is null || raw.Length > MaxInputLength || !HasOnlyPhoneCharacters(raw))
        {
            return false;
        }
        PhoneNumber number;
        try
        {
            number = Util.Parse(raw, DefaultRegion);
        }
        catch (NumberParseException)
        {
            return false;
        }
        if (number.HasExtension || !Util.IsValidNumber(number))
        {
            return false;
        }
        e164 = Util.Format(number, PhoneNumberFormat.E164);
        return true;
    }

    private static bool HasOnlyPhoneCharacters(string raw)
    {
        var seenDigit = false;
        var seenPlus = false;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                seenDigit = true;
            }
            else if (c == '+')
            {
                // One plus, before any digit.
                if (seenPlus || seenDigit)
                {
                    return false;
                }
                seenPlus = true;
            }
            else if (!(c is ' ' or '\t' or '\u00A0' or '-' or '.' or '(' or ')' or '/'))
            {
                return false;
            }
        }
        return seenDigit;
    }
}
