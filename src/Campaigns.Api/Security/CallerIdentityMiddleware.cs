using Campaigns.Api.Idempotency;

namespace Campaigns.Api.Security;

/// <summary>
/// Names the caller of a request that presents a valid key, in <c>X-Api-Key</c> or
/// <c>Authorization: Bearer</c>, on any path. It refuses nothing: the rate limiter, which runs next,
/// needs to know whose budget a request spends (the key's, or its address's when it has no valid key),
/// and <see cref="ApiKeyRequirementMiddleware"/> refuses later.
/// </summary>
public sealed class CallerIdentityMiddleware(RequestDelegate next, ApiKeyVerifier verifier)
{
    public const string HeaderName = "X-Api-Key";

    public Task InvokeAsync(HttpContext context)
    {
        if (verifier.Identify(PresentedKey(context.Request)) is { } caller)
        {
            context.Items[CallerScope.ItemKey] = caller;
        }
        return next(context);
    }

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
