namespace Campaigns.Worker.Providers;

/// <summary>One pre-approved template message for the WhatsApp Cloud API.</summary>
/// <param name="Phone">The recipient in E.164.</param>
/// <param name="Parameters">The body's parameters, rendered for this recipient, in order.</param>
/// <param name="IdempotencyKey">Sent as <c>biz_opaque_callback_data</c>, echoed in the status webhooks.</param>
public sealed record WhatsAppTemplateMessage(
    string Phone,
    string TemplateName,
    string LanguageCode,
    IReadOnlyList<string> Parameters,
    string IdempotencyKey);
