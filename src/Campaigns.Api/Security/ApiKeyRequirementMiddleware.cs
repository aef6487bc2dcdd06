using Campaigns.Api.Errors;
using Campaigns.Api.Idempotency;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Security;

/// <summary>
/// Lets a request through only when <see cref="CallerIdentityMiddleware"/> named its caller, except on
/// the <see cref="PublicPaths"/>; the rest is 401 <c>UNAUTHORIZED</c> with a challenge.
/// </summary>
public sealed class ApiKeyRequirementMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (options.Value.Disabled || PublicPaths.IsPublic(context.Request.Path) || CallerScope.Identified(context) is not null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{CallerIdentityMiddleware.HeaderName}\", Bearer realm=\"campaigns\"";
        var problem = ApiProblem.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
            $"A valid API key is required in the {CallerIdentityMiddleware.HeaderName} header or as a Bearer token");
        await problem.ExecuteAsync(context);
    }
}
