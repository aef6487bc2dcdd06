using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// Documents a query parameter the handler takes as text (to answer a bad value with its own
/// VALIDATION_ERROR instead of a binding failure) as the type it must have on the wire.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class WireTypeAttribute(JsonSchemaType type) : Attribute
{
    public JsonSchemaType Type { get; } = type;
}
