using System.Text.Json;
using Json.Schema;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// The document's schemas for JsonSchema.Net: the whole document is registered as one base document, and
/// a schema is a <c>$ref</c> to its place in it, so <c>#/components/schemas/…</c> references resolve
/// as the document means them (OpenAPI 3.1 schemas are JSON Schema 2020-12).
/// </summary>
internal sealed class DocumentSchemas
{
    private readonly Uri _documentUri = new($"https://openapi.contract/{Guid.NewGuid():N}/openapi.json");
    private readonly BuildOptions _buildOptions;

    public DocumentSchemas(JsonElement document)
    {
        Document = document;
        var registry = new SchemaRegistry();
        registry.Register(_documentUri, new JsonElementBaseDocument(document, _documentUri));
        _buildOptions = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
        // JsonSchema.Net resolves a $ref when an instance first reaches it; a broken one is the document's fault, said now.
        var broken = References(document, "").Where(reference => Resolve(reference.Target) is null).ToList();
        if (broken.Count > 0)
        {
            throw new InvalidOperationException("The document's references lead nowhere: " +
                string.Join("; ", broken.Select(reference => $"{reference.Target} (at {reference.WrittenAt})")));
        }
    }

    public JsonElement Document { get; }

    /// <summary>Builds (and so resolves every reference of) the schema at <paramref name="pointer"/>, once.</summary>
    public DocumentSchema Build(string pointer)
    {
        var reference = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = $"{_documentUri}#{pointer}" });
        try
        {
            return new DocumentSchema(JsonSchema.Build(reference, _buildOptions), this);
        }
        catch (Exception error) when (error is JsonSchemaException or RefResolutionException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The schema at #{Uri.UnescapeDataString(pointer)} does not build: {error.Message}", error);
        }
    }

    private JsonElement? Resolve(string reference) =>
        reference.StartsWith('#') && Json.Pointer.JsonPointer.TryParse(Uri.UnescapeDataString(reference[1..]), out var pointer)
            ? pointer.Evaluate(Document)
            : null;

    /// <summary>Every local <c>$ref</c> of the document, with the JSON pointer of where it is written.</summary>
    private static IEnumerable<(string Target, string WrittenAt)> References(JsonElement element, string at) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(member =>
            member is { Name: "$ref", Value.ValueKind: JsonValueKind.String } && member.Value.GetString() is ['#', ..] target
                ? [(target, at)]
                : References(member.Value, at + "/" + member.Name.Replace("~", "~0").Replace("/", "~1"))),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((item, index) => References(item, $"{at}/{index}")),
        _ => [],
    };

    /// <summary>The document's own text at a schema location JsonSchema.Net reports, for quoting it (an enum's values).</summary>
    public JsonElement? At(Uri schemaLocation, string keyword)
    {
        if (schemaLocation.GetLeftPart(UriPartial.Query) != _documentUri.ToString())
        {
            return null;
        }
        var pointer = Uri.UnescapeDataString(schemaLocation.Fragment.TrimStart('#')) + "/" + keyword;
        return Json.Pointer.JsonPointer.TryParse(pointer, out var parsed) ? parsed.Evaluate(Document) : null;
    }
}
