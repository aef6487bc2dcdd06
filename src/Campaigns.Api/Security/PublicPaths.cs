namespace Campaigns.Api.Security;

/// <summary>
/// The paths anyone may request without a key: health probes, the OpenAPI document, the reference page,
/// the console's files, the provider webhooks (which check the provider's own proof instead), and the tracked links'
/// redirect (a recipient follows it from a message). They
/// still count against the anonymous budget unless a key comes along; the webhooks against their own.
/// </summary>
public static class PublicPaths
{
    private static readonly string[] PublicPrefixes = ["/health", "/alive", "/openapi", "/scalar", Webhooks.WebhooksApi.Prefix, Apis.LinksApi.Prefix];

    public static bool IsPublic(PathString path) =>
        IsConsole(path) || PublicPrefixes.Any(p => path.StartsWithSegments(p));

    /// <summary>The console (wwwroot): index.html at <c>/</c>, its assets under <c>/console</c>.</summary>
    public static bool IsConsole(PathString path) =>
        path == "/" || path == "/index.html" || path == "/favicon.ico" || path.StartsWithSegments("/console");

    /// <summary>Scalar's interactive reference, an HTML page with scripts of its own.</summary>
    public static bool IsApiReference(PathString path) => path.StartsWithSegments("/scalar");
}
