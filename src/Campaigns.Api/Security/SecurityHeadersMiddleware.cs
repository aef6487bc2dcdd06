using Scalar.AspNetCore;

namespace Campaigns.Api.Security;

/// <summary>
/// Headers that keep browsers from misreading or embedding what the API serves: no MIME sniffing, no
/// referrer, no framing (CSP <c>frame-ancestors</c>, and <c>X-Frame-Options</c> for older browsers),
/// and a Content-Security-Policy per kind of answer. Set as the response starts, so answers written
/// by the exception handler (which clears headers), the rate limiter or the static files get them too.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The console: its own files only; no inline script or style, no eval.</summary>
    public const string ConsolePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>JSON answers are never documents: should one be opened as a page, it may load nothing.</summary>
    public const string ApiPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            Apply((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        var path = context.Request.Path;
        headers.ContentSecurityPolicy = PublicPaths.IsConsole(path) ? ConsolePolicy
            : PublicPaths.IsApiReference(path) ? ApiReferencePolicy(context)
            : ApiPolicy;
    }

    /// <summary>
    /// Scalar's page starts itself with an inline script, which carries the nonce Scalar drew for this
    /// request; its components set inline styles, and fonts and images may come as data URIs.
    /// </summary>
    private static string ApiReferencePolicy(HttpContext context)
    {
        var nonce = context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var value) && value is string drawn
            ? $" 'nonce-{drawn}'"
            : "";
        return $"default-src 'self'; script-src 'self'{nonce}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
