using System.Text.RegularExpressions;

namespace Campaigns.Core.Personalization;

/// <summary>
/// The opt-out sentence of a message ("Reply STOP to opt out."): the first sentence naming an opt-out keyword in
/// capitals (STOP, STOPALL, UNSUBSCRIBE, OPTOUT, as a recipient would type it back) or saying "opt out" or
/// "unsubscribe" in any case. A personalized message must keep it verbatim.
/// </summary>
public static partial class OptOutSentence
{
    /// <summary>The whole sentence, trimmed, or null when the text has none.</summary>
    public static string? Find(string text)
    {
        foreach (Match sentence in Sentences().Matches(text))
        {
            var value = sentence.Value.Trim();
            if (value.Length > 0 && (Keyword().IsMatch(value) || Phrase().IsMatch(value)))
            {
                return value;
            }
        }
        return null;
    }

    // A sentence ends after . ! or ? (with any closing quotes or brackets) or at a line break.
    [GeneratedRegex(@"[^.!?\r\n]+(?:[.!?]+[""')\]]*)?")]
    private static partial Regex Sentences();

    [GeneratedRegex(@"\b(?:STOP|STOPALL|UNSUBSCRIBE|OPTOUT)\b")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"\b(?:opt[- ]?out|unsubscribe)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Phrase();
}
