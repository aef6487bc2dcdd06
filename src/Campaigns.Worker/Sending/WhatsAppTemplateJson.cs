using System.Text.Json;

namespace Campaigns.Worker.Sending;

/// <summary>Reads a campaign's <c>whatsapp_template</c> column ({ name, language, parameters }) as the worker needs it.</summary>
public static class WhatsAppTemplateJson
{
    public static WhatsAppTemplate? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            && root.TryGetProperty("language", out var language) && language.ValueKind == JsonValueKind.String
            ? new WhatsAppTemplate(name.GetString()!, language.GetString()!)
            : null;
    }
}
