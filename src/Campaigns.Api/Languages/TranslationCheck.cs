using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Lingua;

namespace Campaigns.Api.Languages;

/// <summary>
/// Whether a translation looks like the language it claims (api.md: create and update answer <c>warnings</c>), by
/// Lingua's offline models. One detector for the process, built on first use over <see cref="Checked"/> languages only:
/// its models load lazily, a language's the first time a text could be in it, and a few languages keep its memory small
/// (all of them would cost hundreds of MB). It only warns when it is sure: a translation in a language it does not
/// know, one too short to judge, or one Lingua cannot tell apart from a close language passes without a warning.
/// Placeholders and URLs are removed first: <c>{first_name}</c> is no word of any language.
/// </summary>
public sealed partial class TranslationCheck
{
    /// <summary>Fewer letters than this (placeholders and URLs removed) are too few to judge.</summary>
    public const int MinLetters = 12;

    /// <summary>How far ahead of the runner-up Lingua's pick must be before the check believes it.</summary>
    public const double MinRelativeDistance = 0.1;

    /// <summary>The languages it can judge, by their primary subtag: those of the default regions and their neighbours.</summary>
    public static readonly FrozenDictionary<string, Language> Checked = new[]
    {
        Language.English, Language.Swahili, Language.French, Language.Spanish, Language.Portuguese, Language.German,
        Language.Italian, Language.Dutch, Language.Afrikaans, Language.Zulu, Language.Xhosa, Language.Yoruba,
        Language.Somali, Language.Ganda, Language.Arabic, Language.Hindi,
    }.ToFrozenDictionary(l => l.IsoCode6391().ToString().ToLowerInvariant(), StringComparer.Ordinal);

    private readonly Lazy<LanguageDetector> _detector = new(() => LanguageDetectorBuilder
        .FromLanguages([.. Checked.Values])
        .WithMinimumRelativeDistance(MinRelativeDistance)
        .Build());

    /// <summary>A warning for each translation that does not look like its language, in the order of the languages.</summary>
    public IReadOnlyList<string> Warnings(IReadOnlyDictionary<string, string> translations) =>
        [.. translations.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => Warning($"translations.{t.Key}", t.Key, t.Value))
            .OfType<string>()];

    /// <summary>The warning for a translation that does not look like <paramref name="language"/>, or null.</summary>
    /// <param name="field">The translation's field, such as <c>translations.fr</c>.</param>
    public string? Warning(string field, string language, string template)
    {
        if (!Checked.TryGetValue(language, out var claimed))
        {
            return null;
        }
        var text = NonWords().Replace(template, " ");
        if (text.Count(char.IsLetter) < MinLetters)
        {
            return null;
        }
        var detected = _detector.Value.DetectLanguageOf(text);
        return detected == Language.Unknown || detected == claimed
            ? null
            : $"{field} does not look like {claimed} (detected: {detected})";
    }

    /// <summary>What is no word of the text's language: placeholders and URLs.</summary>
    [GeneratedRegex(@"\{[^{}]*\}|https?://\S+")]
    private static partial Regex NonWords();
}
