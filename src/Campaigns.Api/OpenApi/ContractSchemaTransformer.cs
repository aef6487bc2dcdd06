using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Campaigns.Api.Contracts;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// What the attributes of the contract records and handler parameters say, in the schema: a
/// <see cref="RequiredAttribute"/> member is never null, <see cref="ValuesOfAttribute"/> becomes an
/// enum, <see cref="PositiveAttribute"/> a minimum, <see cref="WireTypeAttribute"/> the parameter's type, and a
/// <see cref="PathId"/> a positive integer; a type that collects unknown members refuses them.
/// </summary>
public static class ContractSchemaTransformer
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(PathId) || context.ParameterDescription?.Type == typeof(PathId))
        {
            DescribePathId(schema);
            return Task.CompletedTask;
        }
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset))
        {
            // Read by our own converter, which the schema exporter cannot see into.
            schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }
        if ((type == typeof(SavedCampaignResponse) || type == typeof(CampaignResponse)) && schema.Properties is { } properties)
        {
            // Made from a CampaignResponse, or with members beyond its constructor's (auto_translate), not only from constructor
            // parameters the exporter could match: every member is always there.
            schema.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
        }
        if (type.GetProperties().Any(property => property.IsDefined(typeof(JsonExtensionDataAttribute))))
        {
            // The contract collects unknown members only to refuse them (AudienceFilter).
            schema.AdditionalPropertiesAllowed = false;
        }
        foreach (var attribute in AttributesOf(context))
        {
            switch (attribute)
            {
                case RequiredAttribute:
                    schema.Type &= ~JsonSchemaType.Null;
                    break;
                case WireTypeAttribute wire:
                    schema.Type = wire.Type;
                    break;
                case PositiveAttribute:
                    (schema.Items as OpenApiSchema ?? schema).Minimum = "1";
                    break;
                case ValuesOfAttribute values:
                    schema.Enum = [.. values.Values.Select(v => (JsonNode)JsonValue.Create(v))];
                    SharedEnums.Mark(schema, values.Name);
                    break;
            }
        }
        return Task.CompletedTask;
    }

    private static void DescribePathId(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Integer;
        schema.Format = "int64";
        schema.Minimum = "1";
        schema.Pattern = null;
    }

    private static IEnumerable<object> AttributesOf(OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo?.AttributeProvider is { } member)
        {
            return member.GetCustomAttributes(inherit: true);
        }
        if (context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: { } parameter })
        {
            return parameter.GetCustomAttributes(inherit: true);
        }
        return [];
    }
}
