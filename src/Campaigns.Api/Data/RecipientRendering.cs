using Campaigns.Core.Content;
using Campaigns.Core.Languages;
using Campaigns.Core.Recommendations;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Data;

/// <summary>
/// What one recipient of a send gets: their language (<see cref="RecipientLanguages"/>), the template chosen for it
/// (<see cref="CampaignContent.Choose"/>), and the values it renders with, <c>{recommended_product}</c> included
/// (<see cref="ProductPicks"/>, read once for the send). Without translations every recipient reads the campaign's
/// <c>default_language</c> and no phone is parsed; without <c>{recommended_product}</c> no picks are read.
/// </summary>
public sealed class RecipientRendering(CampaignContent content, RecipientLanguages languages, ProductPicks? picks)
{
    private readonly bool _translated = content.Translations.Count > 0 || content.Variants.Any(v => v.Translations is { Count: > 0 });

    /// <summary>base_template, parsed, when it is every recipient's (no translations, no variants); else null.</summary>
    private readonly MessageTemplate? _only = content.Translations.Count > 0 || content.HasVariants
        ? null
        : content.Parse(content.Choose(null, content.Language));

    public CampaignContent Content => content;

    /// <summary>The language <paramref name="row"/>'s recipient reads.</summary>
    public string LanguageOf(in RecipientRow row) =>
        _translated ? languages.Resolve(row.Language, row.Fields.Phone ?? "", content.Language) : content.Language;

    /// <summary>The values a template renders with for <paramref name="row"/>: the customer's, and the product recommended to them.</summary>
    public TemplateFields FieldsOf(in RecipientRow row) =>
        picks is null ? row.Fields : picks.Fill(row.Fields);

    /// <summary>The text <paramref name="row"/>'s recipient gets (links not yet shortened) and the language of its template.</summary>
    public (string Text, string Language) Render(in RecipientRow row, string? variantKey = null)
    {
        if (_only is { } only)
        {
            // One template for everyone: no choice, no lookup of the parsed template per recipient.
            return (only.Render(FieldsOf(row)), content.Language);
        }
        var choice = content.Choose(variantKey, LanguageOf(row));
        return (content.Parse(choice).Render(FieldsOf(row)), choice.Language);
    }
}
