using System.Text.Json;

namespace Campaigns.Core.Content;

/// <summary>
/// A campaign's variants, A/B test and winner as one read gives them (<c>campaign_variant_settings</c>, migration 0022):
/// <c>{ "variants", "ab_test", "winner" }</c>, the column null when the campaign has none.
/// </summary>
public sealed record VariantSettings(IReadOnlyList<VariantContent>? Variants, AbTest? AbTest, string? Winner)
{
    public static readonly VariantSettings None = new(null, null, null);

    public static VariantSettings FromJson(string? json)
    {
        if (json is null)
        {
            return None;
        }
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Raw(string name) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;
        return new VariantSettings(CampaignVariants.FromJson(Raw("variants")), AbTest.FromJson(Raw("ab_test")),
            root.TryGetProperty("winner", out var winner) && winner.ValueKind == JsonValueKind.String ? winner.GetString() : null);
    }
}
