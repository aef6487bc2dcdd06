using System.Reflection;
using Campaigns.Api.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// Describes an <see cref="Optional{T}"/> member as what goes on the wire: the value itself, nullable
/// only when its type argument is (<c>Optional&lt;string?&gt;</c>: null clears; <c>Optional&lt;string&gt;</c>: null is refused).
/// </summary>
public static class OptionalSchemaTransformer
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (!IsOptional(type))
        {
            return Task.CompletedTask;
        }
        var inner = type.GetGenericArguments()[0];
        var nullable = Nullable.GetUnderlyingType(inner) is not null || IsNullableReference(context);
        inner = Nullable.GetUnderlyingType(inner) ?? inner;
        schema.Properties?.Clear();
        schema.Required?.Clear();
        schema.Type = inner == typeof(bool) ? JsonSchemaType.Boolean : JsonSchemaType.String;
        if (nullable)
        {
            schema.Type |= JsonSchemaType.Null;
        }
        if (inner == typeof(DateTimeOffset))
        {
            schema.Format = "date-time";
        }
        return Task.CompletedTask;
    }

    private static bool IsNullableReference(OpenApiSchemaTransformerContext context) =>
        context.JsonPropertyInfo?.AttributeProvider is PropertyInfo property
        && Nullability.Create(property).GenericTypeArguments[0].ReadState == NullabilityState.Nullable;
}
