namespace Campaigns.Core.Templates;

/// <summary>
/// Counts the SMS segments of a message body, as the preview's <c>sms</c> object reports them.
/// </summary>
/// <example><c>SmsSegments.Count("Hi Alice €5")</c> is <c>("GSM-7", 12, 1)</c>.</example>
public static class SmsSegments
{
    public const int Gsm7SingleLimit = 160;
    public const int Gsm7PartLimit = 153;
    public const int Ucs2SingleLimit = 70;
    public const int Ucs2PartLimit = 67;

    /// <summary>
    /// GSM-7 when every character is in the GSM 03.38 basic set or extension table (extension characters
    /// cost two septets), else UCS-2 counted in UTF-16 code units (an emoji costs two). One segment up to
    /// 160 / 70 units, else <c>ceil(n / 153)</c> / <c>ceil(n / 67)</c>. Empty text is 0 characters and
    /// 0 segments: there is nothing to send.
    /// </summary>
    public static SmsSegmentCount Count(ReadOnlySpan<char> text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            var cost = Gsm7Alphabet.SeptetsOf(c);
            if (cost == 0)
            {
                // One character outside GSM-7 switches the whole message to UCS-2.
                return new SmsSegmentCount(SmsEncoding.Ucs2, text.Length, SegmentsFor(text.Length, Ucs2SingleLimit, Ucs2PartLimit));
            }
            septets += cost;
        }
        return new SmsSegmentCount(SmsEncoding.Gsm7, septets, SegmentsFor(septets, Gsm7SingleLimit, Gsm7PartLimit));
    }

    // A message longer than one segment carries a 6-byte concatenation header in every part,
    // which is why a part holds less (153 / 67) than a single message (160 / 70).
    private static int SegmentsFor(int units, int singleLimit, int partLimit) => units switch
    {
        0 => 0,
        _ when units <= singleLimit => 1,
        _ => (units + partLimit - 1) / partLimit,
    };
}
