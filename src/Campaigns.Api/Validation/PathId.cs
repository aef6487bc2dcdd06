using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Campaigns.Api.Validation;

/// <summary>
/// An id taken from the path: a positive 64-bit integer. Handlers take it as a parameter and get a
/// valid id or never run: routing binds it with <see cref="TryParse"/>, and "abc", "0" or "-1" is a
/// 400 VALIDATION_ERROR naming the parameter (never a routing 404), answered by the exception
/// handler from <see cref="InvalidField"/>.
/// </summary>
public readonly record struct PathId(long Value) : IEndpointParameterMetadataProvider
{
    public static bool TryParse(string? text, out PathId id)
    {
        var valid = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;
        id = new PathId(valid ? value : 0);
        return valid;
    }

    /// <summary>Tells the endpoint which of its route values are path ids.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new PathIdParameter(parameter.Name!));

    /// <summary>After a failed binding: the field (snake_case) of the endpoint's first path id that is not valid, if any.</summary>
    public static string? InvalidField(Endpoint? endpoint, RouteValueDictionary? routeValues) =>
        endpoint?.Metadata.GetOrderedMetadata<PathIdParameter>()
            .FirstOrDefault(p => !TryParse(routeValues?[p.Name] as string, out _))
            ?.Field;

    public static string Message(string field) => $"{field} must be a positive integer";

    public static implicit operator long(PathId id) => id.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    private sealed record PathIdParameter(string Name)
    {
        public string Field { get; } = JsonNamingPolicy.SnakeCaseLower.ConvertName(Name);
    }
}
