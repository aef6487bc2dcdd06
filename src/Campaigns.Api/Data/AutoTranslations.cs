using Campaigns.Core.Content;
using System.Text.Json;
using Campaigns.Api.Validation;
using Campaigns.Core.Templates;
using Campaigns.Core.Translation;

namespace Campaigns.Api.Data;

/// <summary>
/// The translations of one send of an <c>auto_translate</c> campaign (api.md, "Personalization"): the campaign's own, then
/// the model's stored answers (<c>auto_translations</c>), then, for each language first met among the recipients with
/// neither (nor <c>default_language</c>), the model asked once (<see cref="TemplateTranslator"/>). A language whose answer
/// failed is remembered as null: it reads the untranslated template, and is not asked again.
/// </summary>
public sealed class AutoTranslations
{
    private readonly TemplateTranslator _translator;
    private readonly long _campaignId;
    private readonly string _channel;
    private readonly string _template;
    private readonly string _language;
    private readonly Func<string, string?> _problem;
    private readonly Dictionary<string, string> _effective;
    private readonly HashSet<string> _known;
    private readonly Dictionary<string, string?> _learned = new(StringComparer.Ordinal);

    /// <param name="problem">The template rules a translation is held to (a problem, or null).</param>
    public AutoTranslations(TemplateTranslator translator, long campaignId, string channel, string baseTemplate, string defaultLanguage,
        IReadOnlyDictionary<string, string> own, string? storedJson, Func<string, string?> problem)
    {
        (_translator, _campaignId, _channel, _template, _language, _problem) =
            (translator, campaignId, channel, baseTemplate, defaultLanguage, problem);
        var stored = FromJson(storedJson);
        _effective = Merge(own, stored);
        _known = [.. own.Keys, .. stored.Keys, defaultLanguage];
    }

    /// <summary>Every translation a recipient may get now: the campaign's own, and the model's that kept the rules.</summary>
    public IReadOnlyDictionary<string, string> Translations => _effective;

    /// <summary>The answers learned by this send (null: untranslated), as the jsonb to merge into <c>auto_translations</c>; null for none.</summary>
    public string? LearnedJson => _learned.Count == 0 ? null : JsonSerializer.Serialize(_learned);

    /// <summary>Asks the model (at once, one call per language) for each of <paramref name="languages"/> not known yet.</summary>
    /// <returns>Whether a translation was added (the templates to choose among changed).</returns>
    public async Task<bool> LearnAsync(IEnumerable<string> languages, CancellationToken cancellationToken)
    {
        var missing = languages.Where(l => !_known.Contains(l)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return false;
        }
        var answers = await Task.WhenAll(missing.Select(language =>
            _translator.TranslateAsync(_template, _language, language, _channel, _problem, _campaignId, cancellationToken)));
        var added = false;
        for (var i = 0; i < missing.Length; i++)
        {
            _known.Add(missing[i]);
            _learned[missing[i]] = answers[i];
            if (answers[i] is { } text)
            {
                _effective[missing[i]] = text;
                added = true;
            }
        }
        return added;
    }

    /// <summary>
    /// The translations of <paramref name="campaign"/> (send or preview): each answer held to every rule of <c>base_template</c>
    /// for the campaign's channel and link tracking.
    /// </summary>
    public static AutoTranslations For(TemplateTranslator translator, long campaignId, string channel, string baseTemplate,
        string defaultLanguage, string? translationsJson, string? storedJson, TemplateOptions limits, string? trackedLinkPrefix) =>
        new(translator, campaignId, channel, baseTemplate, defaultLanguage, CampaignTranslations.FromJson(translationsJson), storedJson, text =>
        {
            var errors = new ValidationErrors();
            CampaignRules.CheckTemplate(errors, "auto_translations", text, channel, limits, trackedLinkPrefix);
            return errors.Any ? "auto_translations" : null;
        });

    /// <summary>The translations a campaign's recipients get: its own, and the model's stored ones for the other languages.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> own, string? storedJson) => Merge(own, FromJson(storedJson));

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> own, Dictionary<string, string?> stored)
    {
        var merged = new Dictionary<string, string>(own, StringComparer.Ordinal);
        foreach (var (language, text) in stored)
        {
            if (text is not null)
            {
                merged.TryAdd(language, text);
            }
        }
        return merged;
    }

    private static Dictionary<string, string?> FromJson(string? json) =>
        (json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(json)) ?? new Dictionary<string, string?>();
}
