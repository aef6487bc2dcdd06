using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Campaigns.Api.Validation;
using Campaigns.Core.Content;
using Lingua;

namespace Campaigns.Api.Languages;

/// <summary>
/// Whether a translation looks like the language it claims (api.md: create and update answer <c>warnings</c>), by
/// Lingua's offline models. One detector for the process, built on first use over <see cref="Checked"/> languages only,
/// in Lingua's low-accuracy mode (trigram models only): measured, the first check loads them in about 2 s and keeps
/// about 15 MB, where the high-accuracy mode took 16 s and 270 MB for the same languages. That mode misjudges very
/// short texts, so the check only warns when it can be sure: a translation in a language it does not know, one too
/// short to judge (<see cref="MinLetters"/>), or one Lingua cannot tell apart from a close language passes without a
/// warning. Placeholders and URLs are removed first: <c>{first_name}</c> is no word of any language.
/// </summary>
public sealed partial class TranslationCheck
{
    /// <summary>
    /// Fewer letters than this (placeholders and URLs removed) are too few to judge: below it the low-accuracy mode
    /// took "Hi Amina, sale today" for Somali; from about 27 letters on, every SMS-like text tried was judged right.
    /// </summary>
    public const int MinLetters = 25;

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
        .WithLowAccuracyMode()
        .Build());

    /// <summary>
    /// A warning for each translation that does not look like its language: the campaign's, then each variant's in the
    /// variants' order, each in the order of the languages; named as validation names them (<c>translations.fr</c>,
    /// <c>variants[1].translations.fr</c>).
    /// </summary>
    public IReadOnlyList<string> Warnings(IReadOnlyDictionary<string, string> translations, IReadOnlyList<VariantContent>? variants = null) =>
        [.. Fields(translations, CampaignRules.TranslationField)
            .Concat((variants ?? []).SelectMany((v, i) => Fields(v.Translations, language => VariantRules.TranslationField(i, language))))
            .Select(t => Warning(t.Field, t.Language, t.Template))
            .OfType<string>()];

    private static IEnumerable<(string Field, string Language, string Template)> Fields(IReadOnlyDictionary<string, string>? translations,
        Func<string, string> field) =>
        (translations ?? new Dictionary<string, string>()).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (field(t.Key), t.Key, t.Value));

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
