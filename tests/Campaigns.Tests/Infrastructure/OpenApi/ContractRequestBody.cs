using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>An operation's request body: whether it is required, and what it may be.</summary>
internal sealed class ContractRequestBody(bool required, MediaTypes content)
{
    public static ContractRequestBody Build(IOpenApiRequestBody body, string writtenAt, DocumentSchemas schemas)
    {
        var pointer = DocumentPointer.Locate(body, writtenAt);
        return new ContractRequestBody(body.Required, MediaTypes.Build(
            (body.Content ?? new Dictionary<string, OpenApiMediaType>()).Select(entry => (entry.Key, entry.Value.Schema is not null)),
            DocumentPointer.Append(pointer, "content"), schemas));
    }

    public IEnumerable<string> Check(RequestBodySeen body)
    {
        if (!body.Present)
        {
            return required ? ["request body is required but none was sent"] : [];
        }
        if (body.MediaType is null)
        {
            return [$"request body has no Content-Type (declared: {content.Declared})"];
        }
        if (!content.TryFind(body.MediaType, out var schema))
        {
            return [$"request media type {body.MediaType} is not declared (declared: {content.Declared})"];
        }
        if (schema is null || body.Bytes is null || !MediaTypes.IsJson(body.MediaType))
        {
            return [];
        }
        return JsonBody.Validate(body.Bytes, schema).Select(error => $"request body: {error}");
    }
}
