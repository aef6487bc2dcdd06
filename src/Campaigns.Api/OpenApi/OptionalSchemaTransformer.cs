using System.Reflection;
using Campaigns.Api.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// Describes an <see cref="Optional{T}"/> member as what goes on the wire: the value itself, nullable
/// only when its type argument is (<c>Optional&lt;string?&gt;</c>: null clears; <c>Optional&lt;string&gt;</c>: null is refused).
/// An object value (a map too) refers to its type's own schema.
/// </summary>
public static class OptionalSchemaTransformer
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    public static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (!IsOptional(type))
        {
            return;
        }
        var inner = type.GetGenericArguments()[0];
        var nullable = Nullable.GetUnderlyingType(inner) is not null || IsNullableReference(context);
        inner = Nullable.GetUnderlyingType(inner) ?? inner;
        schema.Properties?.Clear();
        schema.Required?.Clear();
        if ((inner.IsClass || inner.IsInterface) && inner != typeof(string))
        {
            await ReferToAsync(schema, inner, nullable, context, cancellationToken);
            return;
        }
        schema.Type = inner == typeof(bool) ? JsonSchemaType.Boolean : JsonSchemaType.String;
        if (nullable)
        {
            schema.Type |= JsonSchemaType.Null;
        }
        if (inner == typeof(DateTimeOffset))
        {
            schema.Format = "date-time";
        }
    }

    private static async Task ReferToAsync(OpenApiSchema schema, Type inner, bool nullable, OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken)
    {
        // The type's own schema, which the framework turns into a reference to its component.
        var value = await context.GetOrCreateSchemaAsync(inner, cancellationToken: cancellationToken);
        schema.Type = null;
        schema.OneOf = nullable ? [new OpenApiSchema { Type = JsonSchemaType.Null }, value] : [value];
    }

    private static bool IsNullableReference(OpenApiSchemaTransformerContext context) =>
        context.JsonPropertyInfo?.AttributeProvider is PropertyInfo property
        && Nullability.Create(property).GenericTypeArguments[0].ReadState == NullabilityState.Nullable;
}
