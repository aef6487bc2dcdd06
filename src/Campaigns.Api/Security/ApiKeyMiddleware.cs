using Campaigns.Api.Errors;
using Campaigns.Api.Idempotency;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Security;

/// <summary>
/// Lets a request through only with a valid key in <c>X-Api-Key</c> or <c>Authorization: Bearer</c>,
/// except the public paths: health probes, the OpenAPI document, the reference page and the console's files.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyVerifier verifier, IOptions<ApiKeyOptions> options)
{
    public const string HeaderName = "X-Api-Key";
    private static readonly string[] PublicPrefixes = ["/health", "/alive", "/openapi", "/scalar", "/console"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (options.Value.Disabled || IsPublic(context.Request.Path))
        {
            await next(context);
            return;
        }

        var caller = verifier.Identify(PresentedKey(context.Request));
        if (caller is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\", Bearer realm=\"campaigns\"";
            var problem = ApiProblem.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                $"A valid API key is required in the {HeaderName} header or as a Bearer token");
            await problem.ExecuteAsync(context);
            return;
        }
        context.Items[CallerScope.ItemKey] = caller;
        await next(context);
    }

    public static bool IsPublic(PathString path) =>
        path == "/" || path == "/index.html" || path == "/favicon.ico" || PublicPrefixes.Any(p => path.StartsWithSegments(p));

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var key) && key.Count == 1)
        {
            return key[0];
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
