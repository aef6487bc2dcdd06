using System.Net.Http.Headers;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// The media types a request body or a response declares (<c>content</c>), each with its schema built.
/// A sent media type matches ignoring parameters (charset), an exact entry before <c>type/*</c> before <c>*/*</c>.
/// </summary>
internal sealed class MediaTypes
{
    private readonly Dictionary<string, DocumentSchema?> _schemas;

    private MediaTypes(Dictionary<string, DocumentSchema?> schemas) => _schemas = schemas;

    public static MediaTypes None { get; } = new([]);

    public bool IsEmpty => _schemas.Count == 0;

    public string Declared => IsEmpty ? "none" : string.Join(", ", _schemas.Keys);

    /// <param name="content">Each declared media type and whether it has a schema.</param>
    /// <param name="pointer">Where the <c>content</c> map is in the document.</param>
    public static MediaTypes Build(IEnumerable<(string MediaType, bool HasSchema)> content, string pointer, DocumentSchemas schemas) =>
        new(content.ToDictionary(
            entry => Essence(entry.MediaType),
            entry => entry.HasSchema ? schemas.Build(DocumentPointer.Append(pointer, entry.MediaType, "schema")) : null,
            StringComparer.OrdinalIgnoreCase));

    public bool TryFind(string mediaType, out DocumentSchema? schema)
    {
        var essence = Essence(mediaType);
        return _schemas.TryGetValue(essence, out schema)
            || _schemas.TryGetValue(essence.Split('/')[0] + "/*", out schema)
            || _schemas.TryGetValue("*/*", out schema);
    }

    /// <summary>JSON is what a schema can judge: application/json and any +json type (problem+json).</summary>
    public static bool IsJson(string mediaType)
    {
        var essence = Essence(mediaType);
        return essence.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || essence.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Essence(string mediaType) =>
        MediaTypeHeaderValue.TryParse(mediaType, out var parsed) && parsed.MediaType is { } essence ? essence : mediaType.Trim();
}
