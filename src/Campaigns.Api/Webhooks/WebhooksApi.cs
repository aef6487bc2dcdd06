using Campaigns.Api.OpenApi;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// The providers' webhooks (api.md, "Provider webhooks"): no API key, each provider's own proof of origin,
/// a budget per source address (<see cref="Security.RateLimiting"/>), and only the receipt inbox and
/// inbound messages written.
/// </summary>
public static class WebhooksApi
{
    public const string Prefix = "/webhooks";

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Webhooks");
        group.MapPost("/twilio/status", TwilioWebhooks.ReceiveTwilioStatus).WithName(nameof(TwilioWebhooks.ReceiveTwilioStatus))
            .WithSummary("Twilio status callback: a receipt for a message sent through Twilio")
            .AddOpenApiOperationTransformer(WebhookOperations.TwilioStatus);
        group.MapPost("/twilio/inbound", TwilioWebhooks.ReceiveTwilioMessage).WithName(nameof(TwilioWebhooks.ReceiveTwilioMessage))
            .WithSummary("Twilio incoming message (SMS or WhatsApp)")
            .AddOpenApiOperationTransformer(WebhookOperations.TwilioInbound);
        group.MapPost("/africastalking/delivery", AfricasTalkingWebhooks.ReceiveAfricasTalkingDelivery)
            .WithName(nameof(AfricasTalkingWebhooks.ReceiveAfricasTalkingDelivery))
            .WithSummary("Africa's Talking delivery report: a receipt for a message sent through Africa's Talking")
            .AddOpenApiOperationTransformer(WebhookOperations.AfricasTalkingDelivery);
        group.MapPost("/africastalking/inbound", AfricasTalkingWebhooks.ReceiveAfricasTalkingMessage)
            .WithName(nameof(AfricasTalkingWebhooks.ReceiveAfricasTalkingMessage))
            .WithSummary("Africa's Talking incoming SMS")
            .AddOpenApiOperationTransformer(WebhookOperations.AfricasTalkingInbound);
        group.MapGet("/whatsapp", WhatsAppWebhooks.VerifyWhatsAppWebhook).WithName(nameof(WhatsAppWebhooks.VerifyWhatsAppWebhook))
            .WithSummary("Meta's verification of the WhatsApp webhook: answers the challenge")
            .AddOpenApiOperationTransformer(WebhookOperations.WhatsAppVerification);
        group.MapPost("/whatsapp", WhatsAppWebhooks.ReceiveWhatsAppNotification).WithName(nameof(WhatsAppWebhooks.ReceiveWhatsAppNotification))
            .WithSummary("WhatsApp Cloud API notification: receipts and incoming messages")
            .AddOpenApiOperationTransformer(WebhookOperations.WhatsAppNotification);
        return app;
    }
}
