using System.Text.RegularExpressions;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>What every provider checks of a recipient before anything else: an E.164 number.</summary>
public static partial class PhoneNumbers
{
    public static bool IsE164(string phone) => E164().IsMatch(phone);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
