using System.Text.Json;

namespace Campaigns.Core.Content;

/// <summary>A campaign's <c>translations</c> as stored: a jsonb object of language → template, null for none.</summary>
public static class CampaignTranslations
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> FromJson(string? json) =>
        json is null ? None : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? None;

    /// <summary>The jsonb to store; null for no translations.</summary>
    public static string? ToJson(IReadOnlyDictionary<string, string>? translations) =>
        translations is null or { Count: 0 } ? null : JsonSerializer.Serialize(translations);
}
