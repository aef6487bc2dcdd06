using Campaigns.Api.Errors;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>Create and update of a campaign may also answer 400 <c>AI_NOT_CONFIGURED</c>: their 400 says so.</summary>
public static class AiNotConfiguredResponse
{
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var key = StatusCodes.Status400BadRequest.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses?.TryGetValue(key, out var response) == true && response is OpenApiResponse badRequest)
        {
            badRequest.Description = ErrorResponses.Description(StatusCodes.Status400BadRequest)
                + $", or {ErrorCodes.AiNotConfigured} (personalization asked for and no language model configured)";
        }
        return Task.CompletedTask;
    }
}
