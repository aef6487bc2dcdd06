using Campaigns.Api.Errors;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// <c>GET /l/{code}</c> as a recipient's phone calls it (api.md, "Links"): no API key, the code's form, the redirect and
/// its <c>Location</c>. <see cref="ErrorResponses"/> adds the public operations' own (414, 429, 431, 500) and the problem
/// body of each error.
/// </summary>
public static class LinkOperations
{
    public static Task FollowLink(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Security = [];
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "code") is OpenApiParameter code)
        {
            code.Description = "The short link's code, as in the message's text";
            code.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        operation.Responses = new OpenApiResponses
        {
            ["302"] = new OpenApiResponse
            {
                Description = "Found: the click is recorded after the answer",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Location"] = new OpenApiHeader
                    {
                        Required = true,
                        Description = "The original URL of the message",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
            ["404"] = new OpenApiResponse { Description = $"{ErrorCodes.NotFound}: no link has this code (or it is not 8 characters of [0-9A-Za-z])" },
            // The lookup is in Postgres.
            ["503"] = new OpenApiResponse(),
        };
        return Task.CompletedTask;
    }
}
