using Microsoft.AspNetCore.Http.Features;

namespace Campaigns.Api.Errors;

/// <summary>
/// Every problem response, including those the framework writes for unknown routes (404), wrong
/// methods (405), body limits (413) and content types (415), gets the contract's envelope and trace id.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (!problem.Extensions.ContainsKey("error"))
            {
                var code = ErrorCodes.ForStatus(status);
                var message = ErrorCodes.DefaultMessage(code);
                problem.Type = ErrorCodes.TypeUri(code);
                problem.Title = ErrorCodes.Title(code);
                problem.Detail = message;
                problem.Extensions["error"] = new ErrorEnvelope(code, message);
            }
            problem.Extensions.Remove("traceId");
            problem.Extensions["trace_id"] = ApiProblem.CurrentTraceId(context.HttpContext);
            problem.Instance ??= context.HttpContext.Features.Get<IHttpRequestFeature>()?.Path;
        });
}
