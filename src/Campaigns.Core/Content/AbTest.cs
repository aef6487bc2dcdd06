using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Campaigns.Core.Content;

/// <summary>
/// A campaign's A/B test, as <c>campaigns.ab_test</c> (jsonb) holds it and the API answers it: the sample's share of the
/// audience, the metric that decides, and how long after the dispatch the decision comes (an ISO 8601 duration).
/// </summary>
public sealed record AbTest(
    [property: JsonPropertyName("sample_percent")] int SamplePercent,
    [property: JsonPropertyName("metric"), Description("clicked or delivered (AbTestMetric)")] string Metric,
    [property: JsonPropertyName("decide_after")] string DecideAfter)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <returns>Null for a null column.</returns>
    public static AbTest? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<AbTest>(json) ?? throw new JsonException("ab_test is JSON null");
}
