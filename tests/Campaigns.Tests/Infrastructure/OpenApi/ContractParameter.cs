using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>A path, query or header parameter, or a response header: a named text value with a schema.</summary>
internal sealed class ContractParameter(string name, string kind, bool required, IOpenApiSchema? schema, DocumentSchema? built)
{
    public string Name => name;

    public bool Required => required;

    public static ContractParameter Build(string name, string kind, bool required, IOpenApiSchema? schema, string pointer, DocumentSchemas schemas) =>
        new(name, kind, required, schema, schema is null ? null : schemas.Build(DocumentPointer.Append(pointer, "schema")));

    /// <param name="values">What was sent, or null when absent.</param>
    public IEnumerable<string> Check(IReadOnlyList<string>? values)
    {
        if (values is null or [])
        {
            return required ? [$"{kind} {name} is required but missing"] : [];
        }
        if (built is null)
        {
            return [];
        }
        return built.Validate(ParameterValue.From(values, schema)).Select(error => $"{kind} {name}: {error}");
    }
}
