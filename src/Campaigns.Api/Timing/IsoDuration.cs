using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Campaigns.Api.Timing;

/// <summary>
/// ISO 8601 durations of fixed length (<c>PT6H</c>, <c>P1DT12H</c>, <c>P2W</c>): weeks, days, hours, minutes and
/// whole seconds. Years and months are refused: their length depends on the calendar, a deadline must not.
/// </summary>
public static partial class IsoDuration
{
    [GeneratedRegex(@"^P(?:(?<w>\d{1,4})W|(?:(?<d>\d{1,5})D)?(?:T(?=\d)(?:(?<h>\d{1,6})H)?(?:(?<m>\d{1,7})M)?(?:(?<s>\d{1,9})S)?)?)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null || text == "P" || Pattern().Match(text) is not { Success: true } match)
        {
            return false;
        }
        long Part(string name) => match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = Part("w") * 604_800 + Part("d") * 86_400 + Part("h") * 3_600 + Part("m") * 60 + Part("s");
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The shortest form: <c>P1D</c>, <c>PT6H</c>, <c>P1DT1H30M</c>, <c>PT0S</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var text = new StringBuilder("P");
        if (duration.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Days}D");
        }
        if (duration.Hours > 0 || duration.Minutes > 0 || duration.Seconds > 0 || duration == TimeSpan.Zero)
        {
            text.Append('T');
            if (duration.Hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{duration.Hours}H");
            }
            if (duration.Minutes > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}M");
            }
            if (duration.Seconds > 0 || duration == TimeSpan.Zero)
            {
                text.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}S");
            }
        }
        return text.ToString();
    }
}
