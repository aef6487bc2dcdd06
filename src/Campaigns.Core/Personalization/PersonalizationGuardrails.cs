using System.Text.RegularExpressions;
using Campaigns.Core.Domain;
using Campaigns.Core.Templates;

namespace Campaigns.Core.Personalization;

/// <summary>
/// The rules a model's text must keep to be sent (api.md Part 2, "Personalization"): not empty, no leftover
/// <c>{placeholder}</c>, the template's opt-out sentence kept verbatim, within the length. Breaking any one means
/// the plain rendering goes instead.
/// </summary>
public static partial class PersonalizationGuardrails
{
    /// <summary>The default for whatsapp, in code points.</summary>
    public const int DefaultWhatsAppMaxLength = 1_000;

    /// <summary>Null when <paramref name="text"/> may be sent instead of <paramref name="plain"/>, else the rule it breaks.</summary>
    public static string? Broken(string text, string plain, string channel, int? maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return PersonalizationFallback.Empty;
        }
        if (LeftoverPlaceholder().IsMatch(text))
        {
            return PersonalizationFallback.Placeholder;
        }
        if (OptOutSentence.Find(plain) is { } optOut && !text.Contains(optOut, StringComparison.Ordinal))
        {
            return PersonalizationFallback.OptOutDropped;
        }
        return Fits(text, channel, maxLength) ? null : PersonalizationFallback.TooLong;
    }

    /// <summary>
    /// Whatsapp: at most <paramref name="maxLength"/> code points (default 1,000). Sms: at most <paramref name="maxLength"/>
    /// characters in the text's SMS encoding (GSM-7 septets or UTF-16 units), by default one segment (160 / 70).
    /// </summary>
    public static bool Fits(string text, string channel, int? maxLength)
    {
        if (channel == Channel.WhatsApp)
        {
            return text.EnumerateRunes().Count() <= (maxLength ?? DefaultWhatsAppMaxLength);
        }
        var count = SmsSegments.Count(text);
        return maxLength is { } max ? count.Characters <= max : count.Segments <= 1;
    }

    /// <summary>The limit the model is told: the given one, else one segment of the plain text's encoding, else 1,000.</summary>
    public static int LimitFor(string plain, string channel, int? maxLength) =>
        maxLength ?? (channel == Channel.WhatsApp ? DefaultWhatsAppMaxLength
            : SmsSegments.Count(plain).Encoding == SmsEncoding.Gsm7 ? SmsSegments.Gsm7SingleLimit : SmsSegments.Ucs2SingleLimit);

    [GeneratedRegex(@"\{[A-Za-z_][A-Za-z0-9_]*\}")]
    private static partial Regex LeftoverPlaceholder();
}
