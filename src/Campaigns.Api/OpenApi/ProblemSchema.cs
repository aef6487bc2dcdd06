using System.Reflection;
using System.Text.Json.Nodes;
using Campaigns.Api.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// Every error the API answers (application/problem+json, api.md "Conventions"): RFC 9457 members, the
/// <c>error</c> envelope with a contract code, the request's trace id, and the extras some errors add.
/// </summary>
public static class ProblemSchema
{
    private static readonly IReadOnlyList<string> Codes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails))
        {
            return Task.CompletedTask;
        }
        schema.Type = JsonSchemaType.Object;
        schema.Description = "An error: RFC 9457 problem details with the contract's error envelope.";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("/problems/<code in kebab case>, e.g. /problems/campaign-not-found"),
            ["title"] = Text("The code in words, e.g. Campaign not found"),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = Text("What went wrong, for people; the same as error.message"),
            ["instance"] = Text("The request path"),
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["code"] = ErrorCode(),
                    ["message"] = Text(null),
                },
                Required = new HashSet<string> { "code", "message" },
            },
            ["trace_id"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = "^[0-9a-f]{32}$",
                Description = "The W3C trace id of the request: quote it when reporting an error",
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "VALIDATION_ERROR only: the messages per field (snake_case, e.g. audience.location)",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text(null), MinItems = 1 },
            },
            ["missing_ids"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "CUSTOMER_NOT_FOUND from a send only: up to 100 of the listed ids that do not exist",
                Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
                MaxItems = 100,
            },
        };
        schema.Required = new HashSet<string> { "type", "title", "status", "detail", "error", "trace_id" };
        return Task.CompletedTask;
    }

    private static OpenApiSchema ErrorCode()
    {
        var schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Codes.Select(code => (JsonNode)JsonValue.Create(code))] };
        SharedEnums.Mark(schema, nameof(ErrorCode));
        return schema;
    }

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };
}
