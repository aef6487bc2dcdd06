using System.Diagnostics;
using Campaigns.Api.Telemetry;

namespace Campaigns.Api.Webhooks;

/// <summary>The span of one webhook request, named by provider and webhook, with what it stored.</summary>
public static class WebhookSpan
{
    public const string ProviderTag = "webhook.provider";
    public const string ReceiptCountTag = "webhook.receipt_count";
    public const string InboundCountTag = "webhook.inbound_count";

    /// <param name="webhook">Which of the provider's webhooks: <c>status</c>, <c>inbound</c>, <c>delivery</c>, <c>verification</c>, <c>notification</c>.</param>
    public static Activity? Start(string provider, string webhook)
    {
        var activity = ApiTelemetry.ActivitySource.StartActivity($"webhook {provider} {webhook}");
        activity?.SetTag(ProviderTag, provider);
        return activity;
    }
}
