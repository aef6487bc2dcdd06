using Campaigns.Core.Content;
using Campaigns.Core.Templates;
using Npgsql;

namespace Campaigns.Core.Recommendations;

/// <summary>
/// Whether a campaign needs the recommender, and its picks when it does: read once for a whole send, preview or A/B release
/// (set-based, never per recipient), and only when a template of the campaign (or a WhatsApp parameter) uses
/// <c>{recommended_product}</c>.
/// </summary>
public static class CampaignRecommendations
{
    /// <summary>Whether any template of <paramref name="content"/> (or a WhatsApp parameter) uses <c>{recommended_product}</c>.</summary>
    public static bool AreUsedBy(CampaignContent content, IEnumerable<string> parameters) =>
        content.Translations.Values.Prepend(content.BaseTemplate)
            .Concat(content.Variants.SelectMany(v => (v.Translations?.Values ?? []).Prepend(v.Template)))
            .Concat(parameters)
            .Any(text => content.Parse(new CampaignContent.Choice(text, "")).UsedFields.Contains(TemplateField.RecommendedProduct));

    /// <summary>The recommender's picks for <paramref name="content"/>'s messages, read on <paramref name="connection"/>; null when none uses them.</summary>
    public static async Task<ProductPicks?> PicksForAsync(this IProductRecommender recommender, NpgsqlConnection connection,
        CampaignContent content, IEnumerable<string> parameters, CancellationToken cancellationToken) =>
        AreUsedBy(content, parameters) ? await recommender.RecommendAsync(connection, cancellationToken) : null;
}
