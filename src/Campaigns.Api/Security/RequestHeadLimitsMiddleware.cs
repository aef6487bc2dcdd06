using Campaigns.Api.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Campaigns.Api.Security;

/// <summary>
/// The request line and header limits of <see cref="RequestLimits"/>, answered in the contract's
/// envelope: 414 <c>URI_TOO_LONG</c>, 431 <c>HEADERS_TOO_LARGE</c>. Kestrel enforces its own (higher)
/// limits while parsing, before any middleware, and answers those with an empty body: it cannot be
/// made to write ours, so its limits sit above these and this middleware answers first.
/// </summary>
public sealed class RequestHeadLimitsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (RequestLineBytes(context) > RequestLimits.MaxRequestLineBytes)
        {
            return Refuse(context, StatusCodes.Status414UriTooLong, ErrorCodes.UriTooLong,
                $"The request line (method, path and query) is over {RequestLimits.MaxRequestLineBytes} bytes");
        }
        var (count, bytes) = HeaderSize(context.Request.Headers);
        if (count > RequestLimits.MaxHeaderCount || bytes > RequestLimits.MaxHeaderBytes)
        {
            return Refuse(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, ErrorCodes.HeadersTooLarge,
                $"The request has {count} headers of {bytes} bytes; at most {RequestLimits.MaxHeaderCount} headers of {RequestLimits.MaxHeaderBytes} bytes in all are allowed");
        }
        return next(context);
    }

    /// <summary>As on the wire: <c>GET /path?query HTTP/1.1</c> and CRLF.</summary>
    private static int RequestLineBytes(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.PathBase + request.Path + request.QueryString;
        return request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length + 2;
    }

    /// <summary>Header lines as on the wire (<c>name: value</c> and CRLF), a repeated header once per value.</summary>
    private static (int Count, int Bytes) HeaderSize(IHeaderDictionary headers)
    {
        int count = 0, bytes = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }
        return (count, bytes);
    }

    private static Task Refuse(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return ApiProblem.Create(status, code, message).ExecuteAsync(context);
    }
}
