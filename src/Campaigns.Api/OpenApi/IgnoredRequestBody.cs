using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// An action that takes no input (pause, resume, cancel, retry-failed, delete) still answers a request
/// that carries a JSON body, ignoring it: the document says so, so such a request is within the contract.
/// </summary>
public static class IgnoredRequestBody
{
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = false,
            Description = "Not needed: a JSON body, if one is sent, is ignored",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
            },
        };
        return Task.CompletedTask;
    }
}
