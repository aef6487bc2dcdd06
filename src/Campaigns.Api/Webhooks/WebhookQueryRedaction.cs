using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// Keeps the webhooks' query-string secrets (Africa's Talking's <c>token</c>, Meta's <c>hub.verify_token</c>)
/// out of traces: the server span's <c>url.query</c> keeps the other parameters and says <c>Redacted</c> for
/// those, whatever the OpenTelemetry instrumentation's own redaction is set to. Logs: ASP.NET Core's
/// request lines, written before any middleware runs, are kept off (<see cref="WebhookServices"/>).
/// </summary>
public sealed class WebhookQueryRedaction(RequestDelegate next)
{
    public const string QueryTag = "url.query";
    public const string Redacted = "Redacted";

    private static readonly string[] Secrets = [AfricasTalkingWebhooks.TokenParameter, WhatsAppWebhooks.VerifyTokenParameter];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(WebhooksApi.Prefix)
            && context.Features.Get<IHttpActivityFeature>()?.Activity is { } server
            && server.GetTagItem(QueryTag) is string recorded)
        {
            server.SetTag(QueryTag, Redact(recorded));
        }
        return next(context);
    }

    /// <summary><c>?token=abc&amp;x=1</c> → <c>?token=Redacted&amp;x=1</c>; names compared as decoded.</summary>
    public static string Redact(string query)
    {
        var leading = query.StartsWith('?') ? "?" : "";
        var pairs = query[leading.Length..].Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var name = pairs[i].Split('=', 2)[0];
            if (Secrets.Contains(Uri.UnescapeDataString(name.Replace('+', ' ')), StringComparer.OrdinalIgnoreCase))
            {
                pairs[i] = name + "=" + Redacted;
            }
        }
        return leading + string.Join('&', pairs);
    }
}
