using System.Text.Json.Nodes;

namespace Campaigns.Core.Content;

/// <summary>
/// A campaign's <c>auto_translations</c> (jsonb) as stored: the language model's answers for <c>auto_translate</c>, language →
/// template, or → null where the untranslated template is used (the answer broke a rule or the model failed; the language is
/// not asked again). Those for <c>base_template</c> sit at the top level, as migration 0024 began them; those for each
/// variant's template under <c>"variants"</c>, by the variant's key:
/// <c>{ "fr": "…", "it": null, "variants": { "a": { "fr": "…", "it": null } } }</c>. No language is called
/// <c>variants</c> (a language is 2 or 3 letters), so a column written before variants were translated reads unchanged.
/// </summary>
public sealed class CampaignAutoTranslations
{
    private const string VariantsKey = "variants";

    private static readonly IReadOnlyDictionary<string, string?> NoAnswers = new Dictionary<string, string?>();

    private readonly Dictionary<string, string?> _base;
    private readonly Dictionary<string, Dictionary<string, string?>> _variants;

    private CampaignAutoTranslations(Dictionary<string, string?> baseAnswers, Dictionary<string, Dictionary<string, string?>> variantAnswers) =>
        (_base, _variants) = (baseAnswers, variantAnswers);

    /// <summary>The model's answers for <c>base_template</c> (<paramref name="variantKey"/> null) or for a variant's template.</summary>
    public IReadOnlyDictionary<string, string?> Of(string? variantKey) =>
        variantKey is null ? _base : _variants.TryGetValue(variantKey, out var answers) ? answers : NoAnswers;

    /// <summary>Records an answer (null: the untranslated template) for <c>base_template</c> or a variant's template.</summary>
    public void Add(string? variantKey, string language, string? template)
    {
        var answers = variantKey is null ? _base
            : _variants.TryGetValue(variantKey, out var known) ? known
            : _variants[variantKey] = new Dictionary<string, string?>(StringComparer.Ordinal);
        answers[language] = template;
    }

    /// <summary>
    /// What <paramref name="content"/>'s recipients get with these answers: each template's own translations, then the model's
    /// (those that kept the rules) for the languages it has none of.
    /// </summary>
    public CampaignContent Apply(CampaignContent content) => new(content.BaseTemplate, content.Language,
        Merge(content.Translations, _base),
        [.. content.Variants.Select(v => _variants.TryGetValue(v.Key, out var answers) ? v with { Translations = Merge(v.Translations, answers) } : v)]);

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? own, IReadOnlyDictionary<string, string?> answers)
    {
        var merged = own is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(own, StringComparer.Ordinal);
        foreach (var (language, text) in answers)
        {
            if (text is not null)
            {
                merged.TryAdd(language, text);
            }
        }
        return merged;
    }

    /// <param name="json">The column as text; null for none.</param>
    public static CampaignAutoTranslations FromJson(string? json)
    {
        var stored = new CampaignAutoTranslations(new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        if (json is null || JsonNode.Parse(json) is not JsonObject root)
        {
            return stored;
        }
        foreach (var (key, value) in root)
        {
            if (key == VariantsKey)
            {
                foreach (var (variant, answers) in value?.AsObject() ?? [])
                {
                    foreach (var (language, text) in answers?.AsObject() ?? [])
                    {
                        stored.Add(variant, language, text?.GetValue<string>());
                    }
                }
            }
            else
            {
                stored.Add(null, key, value?.GetValue<string>());
            }
        }
        return stored;
    }

    /// <summary>The jsonb to store (languages and variants in ordinal order).</summary>
    public string ToJson()
    {
        var root = Answers(_base);
        if (_variants.Count > 0)
        {
            root[VariantsKey] = new JsonObject(_variants.OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => KeyValuePair.Create<string, JsonNode?>(v.Key, Answers(v.Value))));
        }
        return root.ToJsonString();
    }

    private static JsonObject Answers(Dictionary<string, string?> answers) =>
        new(answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create<string, JsonNode?>(a.Key, a.Value)));
}
