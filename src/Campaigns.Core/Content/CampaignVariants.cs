using System.Text.Json;

namespace Campaigns.Core.Content;

/// <summary>
/// A campaign's variants as <c>campaigns.variants</c> (jsonb) holds them: <c>[{ "key", "template", "weight",
/// "translations" }, …]</c>, in the campaign's order (the order <see cref="VariantAssignment.Pick"/> walks).
/// </summary>
public static class CampaignVariants
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ToJson(IReadOnlyList<VariantContent> variants) => JsonSerializer.Serialize(variants, Json);

    /// <returns>Null for a null column.</returns>
    public static IReadOnlyList<VariantContent>? FromJson(string? json) =>
        json is null ? null
        : JsonSerializer.Deserialize<List<VariantContent>>(json, Json) ?? throw new JsonException("variants is JSON null");
}
