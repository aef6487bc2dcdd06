using Campaigns.Api.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// A send names its audience one way (api.md, "POST /campaigns/{id}/send"): the body is one of
/// <c>SendToCustomers</c> (<c>customer_ids</c>) or <c>SendToAudience</c> (<c>audience</c>), never both.
/// </summary>
public static class SendRequestSchema
{
    private const string ToCustomers = "SendToCustomers";
    private const string ToAudience = "SendToAudience";

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null || !schemas.TryGetValue(nameof(SendCampaignRequest), out var generated) || generated.Properties is not { } properties)
        {
            return Task.CompletedTask;
        }
        schemas[ToCustomers] = Branch("customer_ids", properties["customer_ids"],
            "The customers to send to, by id (repeated ids are sent once)");
        schemas[ToAudience] = Branch("audience", properties["audience"],
            "Every customer matching a filter chosen on the server; {} is everyone");
        schemas[nameof(SendCampaignRequest)] = new OpenApiSchema
        {
            Description = "Exactly one of customer_ids or audience",
            OneOf = [new OpenApiSchemaReference(ToCustomers, document), new OpenApiSchemaReference(ToAudience, document)],
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Branch(string member, IOpenApiSchema generated, string description) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = new Dictionary<string, IOpenApiSchema> { [member] = NonNull(generated) },
        Required = new HashSet<string> { member },
    };

    // A null member is the same as an absent one, so it cannot be the branch chosen: the branch's member is never null.
    private static IOpenApiSchema NonNull(IOpenApiSchema generated) => generated switch
    {
        OpenApiSchema { OneOf: { Count: 2 } options } when options.Any(IsNull) => options.Single(option => !IsNull(option)),
        OpenApiSchema inline => WithoutNull(inline),
        _ => generated,
    };

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    private static OpenApiSchema WithoutNull(OpenApiSchema schema)
    {
        var copy = (OpenApiSchema)schema.CreateShallowCopy();
        copy.Type &= ~JsonSchemaType.Null;
        return copy;
    }
}
