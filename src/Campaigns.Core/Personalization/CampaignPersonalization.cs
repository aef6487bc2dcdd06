using System.Text.Json;
using System.Text.Json.Serialization;

namespace Campaigns.Core.Personalization;

/// <summary>
/// A campaign's AI personalization, as <c>campaigns.personalization</c> (jsonb) holds it and the campaign answers it:
/// <c>{ "mode": "ai", "instructions", "max_length" }</c>. The API writes it; the worker reads it once per campaign.
/// </summary>
public sealed record CampaignPersonalization(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("instructions")] string Instructions,
    [property: JsonPropertyName("max_length")] int? MaxLength)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <returns>Null for a null column.</returns>
    public static CampaignPersonalization? FromJson(string? json) =>
        json is null ? null
        : JsonSerializer.Deserialize<CampaignPersonalization>(json) ?? throw new JsonException("personalization is JSON null");
}
