using System.Text;
using Campaigns.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// Twilio's status callbacks and incoming messages, form-encoded and signed with the account's auth
/// token over the public URL (<see cref="TwilioSignature"/>).
/// </summary>
public static class TwilioWebhooks
{
    /// <summary>An empty TwiML answer: Twilio sends no reply of its own; replies go through the API.</summary>
    public const string EmptyTwiml = "<Response></Response>";

    public const string TwimlMediaType = "text/xml";

    private const string WhatsAppPrefix = "whatsapp:";

    public static async Task<Results<NoContent, ProblemHttpResult>> ReceiveTwilioStatus(
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken) =>
        await FormWebhook.ReceiveAsync(ProviderName.Twilio, "status", () => SignedFormAsync(request, options.Value, "status", logger, cancellationToken),
            ["MessageSid", "MessageStatus"], (fields, form) => ([TwilioReceipts.Map(fields[0], fields[1], WebhookForm.Optional(form, "ErrorCode"))], []),
            inbox, cancellationToken) is { } refusal
            ? refusal
            : TypedResults.NoContent();

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceiveTwilioMessage(
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken) =>
        await FormWebhook.ReceiveAsync(ProviderName.Twilio, "inbound", () => SignedFormAsync(request, options.Value, "inbound", logger, cancellationToken),
            ["MessageSid", "From"], (fields, form) => ([], [Inbound(fields[0], fields[1], WebhookForm.Optional(form, "To"), WebhookForm.Optional(form, "Body"))]),
            inbox, cancellationToken) is { } refusal
            ? refusal
            : TypedResults.Text(EmptyTwiml, TwimlMediaType, Encoding.UTF8);

    /// <summary>WhatsApp through Twilio names both ends <c>whatsapp:+…</c>; SMS gives the bare numbers.</summary>
    private static InboundMessage Inbound(string sid, string from, string? to, string? body) =>
        new(sid, from.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) ? Channel.WhatsApp : Channel.Sms,
            WithoutPrefix(from), to is null ? null : WithoutPrefix(to), body ?? "");

    /// <summary>
    /// The form, once Twilio is configured (else 404), the signature is there (checked before the body is
    /// read), the body is a form and the signature matches the public URL and the form's parameters.
    /// </summary>
    private static async Task<(IFormCollection? Form, ProblemHttpResult? Refusal)> SignedFormAsync(
        HttpRequest request, WebhookOptions options, string webhook, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.Twilio.IsConfigured)
        {
            return (null, WebhookProblems.NotConfigured());
        }
        var signature = request.Headers[TwilioSignature.HeaderName].ToString();
        if (signature.Length == 0)
        {
            return (null, Refused(webhook, logger));
        }
        var (form, malformed) = await WebhookForm.ReadAsync(request, cancellationToken);
        if (malformed is not null)
        {
            return (null, malformed);
        }
        return TwilioSignature.IsValid(signature, options.Twilio.AuthToken!, options.PublicUrlOf(request), form!)
            ? (form, null)
            : (null, Refused(webhook, logger));
    }

    private static ProblemHttpResult Refused(string webhook, ILogger logger)
    {
        Log.WebhookRefused(logger, ProviderName.Twilio, webhook, TwilioSignature.HeaderName);
        return WebhookProblems.InvalidSignature(TwilioSignature.HeaderName);
    }

    private static string WithoutPrefix(string address) =>
        address.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) ? address[WhatsAppPrefix.Length..] : address;
}
