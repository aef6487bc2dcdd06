using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>One declared response of an operation (<c>200</c>, <c>4XX</c> or <c>default</c>): its content and headers.</summary>
internal sealed class ContractResponse(string key, MediaTypes content, IReadOnlyList<ContractParameter> headers)
{
    public string Key => key;

    public static ContractResponse Build(string key, IOpenApiResponse response, string writtenAt, DocumentSchemas schemas)
    {
        var pointer = DocumentPointer.Locate(response, writtenAt);
        var content = MediaTypes.Build(
            (response.Content ?? new Dictionary<string, OpenApiMediaType>()).Select(entry => (entry.Key, entry.Value.Schema is not null)),
            DocumentPointer.Append(pointer, "content"), schemas);
        var headers = (response.Headers ?? new Dictionary<string, IOpenApiHeader>())
            // OpenAPI: a Content-Type header definition is ignored; content says it.
            .Where(header => !header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .Select(header => ContractParameter.Build(header.Key, "response header", header.Value.Required, header.Value.Schema,
                DocumentPointer.Locate(header.Value, DocumentPointer.Append(pointer, "headers", header.Key)), schemas))
            .ToList();
        return new ContractResponse(key, content, headers);
    }

    public IEnumerable<string> Check(ResponseSeen response, bool hasBody)
    {
        if (hasBody)
        {
            foreach (var mismatch in CheckBody(response))
            {
                yield return mismatch;
            }
        }
        foreach (var header in headers)
        {
            foreach (var mismatch in header.Check(response.Header(header.Name)))
            {
                yield return mismatch;
            }
        }
    }

    private IEnumerable<string> CheckBody(ResponseSeen response)
    {
        if (content.IsEmpty)
        {
            yield return $"response has a body ({response.MediaType ?? "no Content-Type"}) but {key} declares no content";
            yield break;
        }
        if (response.MediaType is null)
        {
            yield return $"response body has no Content-Type (declared for {key}: {content.Declared})";
            yield break;
        }
        if (!content.TryFind(response.MediaType, out var schema))
        {
            yield return $"response media type {response.MediaType} is not declared for {key} (declared: {content.Declared})";
            yield break;
        }
        if (schema is null || !MediaTypes.IsJson(response.MediaType))
        {
            yield break;
        }
        foreach (var error in JsonBody.Validate(response.Body, schema))
        {
            yield return $"response body: {error}";
        }
    }
}
