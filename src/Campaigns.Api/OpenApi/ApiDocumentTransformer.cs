using Campaigns.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>The document's own description: title, the API-key scheme every operation needs, and the <c>Location</c> of what is created.</summary>
public static class ApiDocumentTransformer
{
    private const string ApiKeyScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Campaigns API",
            Version = "v1",
            Description = "Customers, SMS and WhatsApp campaigns with personal placeholders, and their delivery. "
                + "Every error is application/problem+json with an `error` envelope {code, message} and a `trace_id`.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = CallerIdentityMiddleware.HeaderName,
            Description = "An API key of the deployment (Auth:ApiKeys); a missing or wrong key is 401 UNAUTHORIZED.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as a Bearer token (Authorization: Bearer <key>).",
        };
        // Either one: each requirement in the list is an alternative.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
        ];

        foreach (var operation in Operations(document))
        {
            if (operation.Responses?.TryGetValue("201", out var created) == true && created is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Location"] = new OpenApiHeader
                {
                    Required = true,
                    Description = "The path of what was created",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }
        return Task.CompletedTask;
    }

    public static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths?.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []) ?? [];
}
