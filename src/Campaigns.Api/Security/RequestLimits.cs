using Microsoft.AspNetCore.Http.Features;

namespace Campaigns.Api.Security;

/// <summary>
/// How much a request may carry. Bodies over the limit are 413 PAYLOAD_TOO_LARGE; Kestrel itself
/// answers an over-long request line (414) or header block (431).
/// </summary>
public static class RequestLimits
{
    public const long DefaultMaxBodyBytes = 1 * 1024 * 1024;

    /// <summary>100,000 customer ids of up to 19 digits each.</summary>
    public const long SendMaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>100,000 customer rows of CSV or JSON.</summary>
    public const long ImportMaxBodyBytes = 64 * 1024 * 1024;

    public const int MaxRequestLineBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Raises the body limit for this request; call before the body is read.</summary>
    public static void AllowBody(HttpContext context, long maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes;
        }
    }
}
