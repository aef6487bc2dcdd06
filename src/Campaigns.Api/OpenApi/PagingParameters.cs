using Campaigns.Api.Paging;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>Describes the paging parameters every list takes (api.md, "Pagination"), in one place.</summary>
public static class PagingParameters
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["page"] = PageDescription("newest first"),
        ["page_size"] = $"Rows per page (default {PageRequest.DefaultPageSize}; below 1 is {PageRequest.DefaultPageSize}; above "
            + $"{PageRequest.MaxPageSize} is {PageRequest.MaxPageSize}).",
        ["cursor"] = "A next_cursor exactly as returned: continues strictly after the last row of that page, at the same cost at any depth.",
    };

    /// <summary>For a list read oldest first (a message's events): says so of its <c>page</c>.</summary>
    public static Task OldestFirstAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p is { Name: "page", In: ParameterLocation.Query }))
        {
            parameter.Description = PageDescription("oldest first");
        }
        return Task.CompletedTask;
    }

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
                // Kept when an operation said more (OldestFirstAsync runs before the document's transformers).
                parameter.Description ??= description;
            }
        }
        return Task.CompletedTask;
    }

    private static string PageDescription(string order) =>
        $"1-based page, {order} (default 1; below 1 is 1). Pages reach at most row {PageRequest.MaxPagedRows:N0}: "
        + "read further with cursor. Ignored (answered as null) with cursor.";
}
