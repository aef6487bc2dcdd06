using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// Gives each set of values (<see cref="ValuesOfAttribute"/>) one named schema that every member and
/// parameter refers to, so a generated client has one <c>CampaignStatus</c> type, not one per use.
/// </summary>
public static class SharedEnums
{
    private const string MetadataKey = "campaigns:values-of";

    public static void Mark(OpenApiSchema schema, string name)
    {
        schema.Metadata ??= new Dictionary<string, object>();
        schema.Metadata[MetadataKey] = name;
    }

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return Task.CompletedTask;
        }
        foreach (var schema in schemas.Values.ToList())
        {
            ShareWithin(schema, document, schemas);
        }
        var parameters = ApiDocumentTransformer.Operations(document).SelectMany(operation => operation.Parameters ?? []).OfType<OpenApiParameter>();
        foreach (var parameter in parameters.Where(parameter => parameter.Schema is not null))
        {
            parameter.Schema = Shared(parameter.Schema!, document, schemas, nullable: false);
        }
        return Task.CompletedTask;
    }

    // Members of members too (the problem's error.code), never through a reference (its target is visited itself).
    private static void ShareWithin(IOpenApiSchema schema, OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        if (schema is not OpenApiSchema { Properties: { } properties })
        {
            return;
        }
        foreach (var (member, memberSchema) in properties.ToList())
        {
            properties[member] = Shared(memberSchema, document, schemas, nullable: true);
            ShareWithin(properties[member], document, schemas);
        }
    }

    /// <param name="nullable">Whether a member that may be null stays nullable: as the framework writes a nullable reference.</param>
    private static IOpenApiSchema Shared(IOpenApiSchema schema, OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas, bool nullable)
    {
        if (schema is not OpenApiSchema { Metadata: { } metadata } marked || !metadata.TryGetValue(MetadataKey, out var name))
        {
            return schema;
        }
        var id = (string)name;
        schemas.TryAdd(id, new OpenApiSchema { Type = JsonSchemaType.String, Enum = marked.Enum });
        var reference = new OpenApiSchemaReference(id, document);
        return nullable && marked.Type?.HasFlag(JsonSchemaType.Null) == true
            ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] }
            : reference;
    }
}
