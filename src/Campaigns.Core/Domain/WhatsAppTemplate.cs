using System.Text.Json;
using System.Text.Json.Serialization;

namespace Campaigns.Core.Domain;

/// <summary>
/// A WhatsApp campaign's pre-approved template, as <c>campaigns.whatsapp_template</c> (jsonb) holds it:
/// <c>{ "name", "language", "parameters": ["{first_name}", …] }</c>. Each parameter is a message template
/// rendered per recipient into <c>outbound_messages.template_parameters</c>. The API writes it, the worker reads it.
/// </summary>
public sealed record WhatsAppTemplate(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("parameters")] IReadOnlyList<string> Parameters)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <returns>Null for a null column.</returns>
    public static WhatsAppTemplate? FromJson(string? json) =>
        json is null ? null
        : JsonSerializer.Deserialize<WhatsAppTemplate>(json) ?? throw new JsonException("whatsapp_template is JSON null");
}
