using Microsoft.AspNetCore.Http.Features;

namespace Campaigns.Api.Security;

/// <summary>
/// How much a request may carry. Bodies over the limit are 413 PAYLOAD_TOO_LARGE; an over-long request
/// line is 414 URI_TOO_LONG and an over-large header block 431 HEADERS_TOO_LARGE
/// (<see cref="RequestHeadLimitsMiddleware"/>).
/// </summary>
public static class RequestLimits
{
    public const long DefaultMaxBodyBytes = 1 * 1024 * 1024;

    /// <summary>100,000 customer ids of up to 19 digits each.</summary>
    public const long SendMaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>100,000 customer rows of CSV or JSON.</summary>
    public const long ImportMaxBodyBytes = 64 * 1024 * 1024;

    /// <summary>Method, target (path and query) and protocol, with their spaces and CRLF.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>Every header line (<c>name: value</c> and CRLF), Host included.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 100;

    /// <summary>
    /// Kestrel's own limits: what exceeds them it answers itself before any middleware runs, with an
    /// empty body. Set at twice ours, so between the two the middleware answers in the envelope.
    /// </summary>
    public const int KestrelMaxRequestLineBytes = 2 * MaxRequestLineBytes;

    public const int KestrelMaxHeaderBytes = 2 * MaxHeaderBytes;

    public const int KestrelMaxHeaderCount = 2 * MaxHeaderCount;

    /// <summary>Raises the body limit for this request; call before the body is read.</summary>
    public static void AllowBody(HttpContext context, long maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes;
        }
    }
}
