using Campaigns.Core.Content;
using Campaigns.Api.Validation;
using Campaigns.Core.Templates;
using Campaigns.Core.Translation;

namespace Campaigns.Api.Data;

/// <summary>
/// The translations of one send (or preview) of an <c>auto_translate</c> campaign (api.md, "Personalization"). The templates
/// translated are those a recipient can get untranslated: each variant's template (with variants), else <c>base_template</c>.
/// Each keeps its own translations, then the model's stored answers (<see cref="CampaignAutoTranslations"/>); for each language
/// first met among the recipients that a template has neither of (nor is it <c>default_language</c>), the model is asked once
/// for that template (<see cref="TemplateTranslator"/>). A language whose answer failed is remembered as null: its recipients
/// read the untranslated template, and it is not asked again.
/// </summary>
public sealed class AutoTranslations
{
    private readonly TemplateTranslator _translator;
    private readonly long _campaignId;
    private readonly string _channel;
    private readonly CampaignContent _own;
    private readonly Func<string, string?> _problem;
    private readonly CampaignAutoTranslations _answers;
    private readonly Source[] _sources;
    private bool _learned;

    /// <summary>A template the model translates: <c>base_template</c> (<see cref="VariantKey"/> null) or a variant's.</summary>
    private sealed record Source(string? VariantKey, string Template, HashSet<string> Known);

    /// <param name="own">The campaign's templates and its own translations (none of the model's).</param>
    /// <param name="storedJson">The campaign's <c>auto_translations</c>.</param>
    /// <param name="problem">The template rules a translation is held to (a problem, or null).</param>
    /// <param name="onlyVariant">Translates this variant's template only (a preview's); null: every template recipients can get.</param>
    public AutoTranslations(TemplateTranslator translator, long campaignId, string channel, CampaignContent own, string? storedJson,
        Func<string, string?> problem, string? onlyVariant = null)
    {
        (_translator, _campaignId, _channel, _own, _problem) = (translator, campaignId, channel, own, problem);
        _answers = CampaignAutoTranslations.FromJson(storedJson);
        _sources = own.HasVariants
            ? [.. own.Variants.Where(v => onlyVariant is null || v.Key == onlyVariant)
                .Select(v => SourceOf(v.Key, v.Template, v.Translations))]
            : [SourceOf(null, own.BaseTemplate, own.Translations)];
        Content = _answers.Apply(own);
    }

    private Source SourceOf(string? variantKey, string template, IReadOnlyDictionary<string, string>? translations) =>
        new(variantKey, template, [.. translations?.Keys ?? [], .. _answers.Of(variantKey).Keys, _own.Language]);

    /// <summary>Every template a recipient may get now: the campaign's own, and the model's answers that kept the rules.</summary>
    public CampaignContent Content { get; private set; }

    /// <summary>What <c>auto_translations</c> holds after this send (the stored answers and those it learned); null when it learned none.</summary>
    public string? StoredJson => _learned ? _answers.ToJson() : null;

    /// <summary>Asks the model (at once, one call per template and language) for each of <paramref name="languages"/> not known yet.</summary>
    /// <returns>Whether a translation was added (<see cref="Content"/>, the templates to choose among, changed).</returns>
    public async Task<bool> LearnAsync(IEnumerable<string> languages, CancellationToken cancellationToken)
    {
        var distinct = languages.Distinct(StringComparer.Ordinal).ToArray();
        var missing = _sources.SelectMany(s => distinct.Where(l => !s.Known.Contains(l)).Select(l => (Source: s, Language: l))).ToArray();
        if (missing.Length == 0)
        {
            return false;
        }
        var answers = await Task.WhenAll(missing.Select(m =>
            _translator.TranslateAsync(m.Source.Template, _own.Language, m.Language, _channel, _problem, _campaignId, cancellationToken)));
        var added = false;
        for (var i = 0; i < missing.Length; i++)
        {
            var (source, language) = missing[i];
            source.Known.Add(language);
            _answers.Add(source.VariantKey, language, answers[i]);
            added |= answers[i] is not null;
        }
        _learned = true;
        if (added)
        {
            Content = _answers.Apply(_own);
        }
        return added;
    }

    /// <summary>
    /// The translations of a campaign (send or preview): each answer held to every rule of <c>base_template</c> for the
    /// campaign's channel and link tracking.
    /// </summary>
    public static AutoTranslations For(TemplateTranslator translator, long campaignId, string channel, CampaignContent own, string? storedJson,
        TemplateOptions limits, string? trackedLinkPrefix, string? onlyVariant = null) =>
        new(translator, campaignId, channel, own, storedJson, text =>
        {
            var errors = new ValidationErrors();
            CampaignRules.CheckTemplate(errors, "auto_translations", text, channel, limits, trackedLinkPrefix);
            return errors.Any ? "auto_translations" : null;
        }, onlyVariant);
}
