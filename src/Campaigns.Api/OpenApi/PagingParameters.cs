using Campaigns.Api.Paging;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>Describes the paging parameters every list takes (api.md, "Pagination"), in one place.</summary>
public static class PagingParameters
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["page"] = $"1-based page, newest first (default 1; below 1 is 1). Pages reach at most row {PageRequest.MaxPagedRows:N0}: "
            + "read further with cursor. Ignored (answered as null) with cursor.",
        ["page_size"] = $"Rows per page (default {PageRequest.DefaultPageSize}; below 1 is {PageRequest.DefaultPageSize}; above "
            + $"{PageRequest.MaxPageSize} is {PageRequest.MaxPageSize}).",
        ["cursor"] = "A next_cursor exactly as returned: continues strictly after the last row of that page, at the same cost at any depth.",
    };

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var parameters = ApiDocumentTransformer.Operations(document)
            .SelectMany(operation => operation.Parameters ?? [])
            .OfType<OpenApiParameter>()
            .Where(parameter => parameter.In == ParameterLocation.Query);
        foreach (var parameter in parameters)
        {
            if (parameter.Name is { } name && Descriptions.TryGetValue(name, out var description))
            {
                parameter.Description = description;
            }
        }
        return Task.CompletedTask;
    }
}
