namespace Campaigns.Core.Templates;

/// <summary>The SMS encodings, spelled as the preview's <c>sms.encoding</c> reports them.</summary>
public static class SmsEncoding
{
    /// <summary>GSM 03.38 default alphabet: 7-bit septets, 160 to a single message.</summary>
    public const string Gsm7 = "GSM-7";

    /// <summary>UTF-16 code units, 70 to a single message; used as soon as one character is outside GSM-7.</summary>
    public const string Ucs2 = "UCS-2";

    public static readonly IReadOnlyList<string> All = [Gsm7, Ucs2];
}
