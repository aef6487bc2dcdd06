using System.Text.Json;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>A JSON body against its schema: text that is no JSON at all is the first thing to say.</summary>
internal static class JsonBody
{
    public static IReadOnlyList<string> Validate(byte[] body, DocumentSchema schema)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(body);
        }
        catch (JsonException error)
        {
            return [$"not valid JSON ({error.Message})"];
        }
        using (parsed)
        {
            return schema.Validate(parsed.RootElement);
        }
    }
}
