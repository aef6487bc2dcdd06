using System.Collections.Concurrent;
using Campaigns.Core.Templates;

namespace Campaigns.Core.Content;

/// <summary>
/// Every template a campaign can send and the one rule that picks among them for a recipient (api.md, "Variants,
/// links and languages"): with variants, the variant's translation for the recipient's language, else the variant's
/// template; without variants, the campaign's translation, else <c>base_template</c>. The API's send and preview and
/// the worker (an A/B test's winner) all choose here. Parsed templates are cached: one parse per template, whatever
/// the audience's size.
/// </summary>
public sealed class CampaignContent
{
    private readonly ConcurrentDictionary<string, MessageTemplate> _parsed = new(StringComparer.Ordinal);

    public CampaignContent(string baseTemplate, string defaultLanguage = DefaultLanguage,
        IReadOnlyDictionary<string, string>? translations = null, IReadOnlyList<VariantContent>? variants = null)
    {
        BaseTemplate = baseTemplate;
        Language = defaultLanguage;
        Translations = translations ?? EmptyTranslations;
        Variants = variants ?? [];
    }

    /// <summary>The language of <c>base_template</c> when a campaign names none.</summary>
    public const string DefaultLanguage = "en";

    private static readonly IReadOnlyDictionary<string, string> EmptyTranslations = new Dictionary<string, string>();

    public string BaseTemplate { get; }

    /// <summary>The campaign's <c>default_language</c>: the language of <c>base_template</c> and of each variant's template.</summary>
    public string Language { get; }

    public IReadOnlyDictionary<string, string> Translations { get; }

    public IReadOnlyList<VariantContent> Variants { get; }

    public bool HasVariants => Variants.Count > 0;

    /// <summary>The variant with this key, or null (no variants, or an unknown key).</summary>
    public VariantContent? Variant(string? key) => key is null ? null : Variants.FirstOrDefault(v => v.Key == key);

    /// <summary>The template text a recipient of <paramref name="language"/> gets in the variant <paramref name="variantKey"/>.</summary>
    /// <param name="variantKey">The recipient's variant; null for a campaign without variants.</param>
    public Choice Choose(string? variantKey, string language)
    {
        if (Variant(variantKey) is { } variant)
        {
            return variant.Translations is { } own && own.TryGetValue(language, out var translated)
                ? new Choice(translated, language)
                : new Choice(variant.Template, Language);
        }
        return Translations.TryGetValue(language, out var text) ? new Choice(text, language) : new Choice(BaseTemplate, Language);
    }

    /// <summary><see cref="Choose"/>, parsed (once per distinct template).</summary>
    public MessageTemplate Parse(Choice choice) => _parsed.GetOrAdd(choice.Template, MessageTemplate.Parse);

    /// <summary>A chosen template and the language it is written in (the message's <c>language</c>).</summary>
    public readonly record struct Choice(string Template, string Language);
}
