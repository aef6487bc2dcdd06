namespace Campaigns.Api.Consent;

/// <summary>
/// What an inbound text asks for (api.md Part 2, "Consent"): the whole text, trimmed, any case, with a
/// trailing <c>.</c> or <c>!</c> ignored, equal to one keyword. Anything else asks for nothing ("don't
/// stop" is not STOP).
/// </summary>
public static class ConsentKeywords
{
    public const string Stop = "stop";
    public const string Start = "start";
    public const string Help = "help";

    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STOP"] = Stop, ["STOPALL"] = Stop, ["UNSUBSCRIBE"] = Stop, ["CANCEL"] = Stop, ["END"] = Stop, ["QUIT"] = Stop,
        ["OPTOUT"] = Stop, ["REVOKE"] = Stop,
        ["START"] = Start, ["UNSTOP"] = Start, ["YES"] = Start,
        ["HELP"] = Help, ["INFO"] = Help,
    };

    /// <returns><see cref="Stop"/>, <see cref="Start"/>, <see cref="Help"/>, or null.</returns>
    public static string? Classify(string? text)
    {
        var word = (text ?? "").Trim().TrimEnd('.', '!').TrimEnd();
        return Words.GetValueOrDefault(word);
    }
}
