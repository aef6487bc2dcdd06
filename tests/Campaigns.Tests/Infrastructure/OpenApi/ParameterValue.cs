using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// A path, query or header value as JSON for its schema: it arrives as text, and is read as the schema's
/// type when it can be (as the server reads it), else left text so the schema says why it is wrong.
/// </summary>
internal static class ParameterValue
{
    public static JsonElement From(IReadOnlyList<string> values, IOpenApiSchema? schema)
    {
        var type = schema?.Type;
        JsonNode? node = type is { } t && t.HasFlag(JsonSchemaType.Array)
            ? new JsonArray([.. values.Select(value => Scalar(value, schema!.Items?.Type))])
            : Scalar(values[0], type);
        return JsonSerializer.SerializeToElement(node);
    }

    private static JsonNode Scalar(string value, JsonSchemaType? type)
    {
        if (type is not { } t)
        {
            return JsonValue.Create(value);
        }
        if (t.HasFlag(JsonSchemaType.Integer) && BigInteger.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonNode.Parse(integer.ToString(CultureInfo.InvariantCulture))!;
        }
        if (t.HasFlag(JsonSchemaType.Number) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }
        if (t.HasFlag(JsonSchemaType.Boolean) && bool.TryParse(value, out var flag))
        {
            return JsonValue.Create(flag);
        }
        return JsonValue.Create(value);
    }
}
