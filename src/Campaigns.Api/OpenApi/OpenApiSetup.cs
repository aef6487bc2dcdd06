using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, stating what api.md states.</summary>
public static class OpenApiSetup
{
    public const string ProblemSchemaId = "Problem";

    public static IServiceCollection AddApiOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = type => type.Type switch
            {
                // Inline, so the member's own attributes (lengths, enums) sit beside its type.
                var optional when OptionalSchemaTransformer.IsOptional(optional) => null,
                var problem when problem == typeof(ProblemDetails) => ProblemSchemaId,
                _ => OpenApiOptions.CreateDefaultSchemaReferenceId(type),
            };
            options.AddSchemaTransformer(OptionalSchemaTransformer.TransformAsync);
            options.AddSchemaTransformer(ContractSchemaTransformer.TransformAsync);
            options.AddSchemaTransformer(ProblemSchema.TransformAsync);
            options.AddDocumentTransformer(ApiDocumentTransformer.TransformAsync);
            options.AddDocumentTransformer(SendRequestSchema.TransformAsync);
            options.AddDocumentTransformer(HealthPaths.TransformAsync);
            options.AddDocumentTransformer(ErrorResponses.TransformAsync);
            options.AddDocumentTransformer(RequestExamples.TransformAsync);
            options.AddDocumentTransformer(PagingParameters.TransformAsync);
            options.AddDocumentTransformer(SharedEnums.TransformAsync);
        });
}
