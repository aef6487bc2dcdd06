using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.Json;

/// <summary>Describes an <see cref="Optional{T}"/> member as what goes on the wire: the value itself, or null.</summary>
public static class OptionalSchemaTransformer
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Optional<>))
        {
            return Task.CompletedTask;
        }
        var inner = type.GetGenericArguments()[0];
        inner = Nullable.GetUnderlyingType(inner) ?? inner;
        schema.Properties?.Clear();
        schema.Type = JsonSchemaType.Null | (inner == typeof(bool) ? JsonSchemaType.Boolean : JsonSchemaType.String);
        if (inner == typeof(DateTimeOffset))
        {
            schema.Format = "date-time";
        }
        return Task.CompletedTask;
    }
}
