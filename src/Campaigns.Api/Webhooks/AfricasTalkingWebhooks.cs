using Campaigns.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// Africa's Talking's delivery reports and incoming messages, form-encoded. Africa's Talking signs
/// nothing: the URLs registered in its dashboard carry <c>?token=</c>, compared in constant time.
/// </summary>
public static class AfricasTalkingWebhooks
{
    public const string TokenParameter = "token";

    public static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAfricasTalkingDelivery(
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken) =>
        await FormWebhook.ReceiveAsync(ProviderName.AfricasTalking, "delivery",
            () => VouchedFormAsync(request, options.Value, "delivery", logger, cancellationToken),
            ["id", "status"], (fields, form) => ([AfricasTalkingReceipts.Map(fields[0], fields[1], WebhookForm.Optional(form, "failureReason"))], []),
            inbox, cancellationToken) is { } refusal
            ? refusal
            : TypedResults.NoContent();

    public static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAfricasTalkingMessage(
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken) =>
        await FormWebhook.ReceiveAsync(ProviderName.AfricasTalking, "inbound",
            () => VouchedFormAsync(request, options.Value, "inbound", logger, cancellationToken),
            ["id", "from"], (fields, form) =>
                ([], [new InboundMessage(fields[0], Channel.Sms, fields[1], WebhookForm.Optional(form, "to"), WebhookForm.Optional(form, "text") ?? "")]),
            inbox, cancellationToken) is { } refusal
            ? refusal
            : TypedResults.NoContent();

    /// <summary>The form, once Africa's Talking is configured (else 404) and the token matches (checked before the body is read).</summary>
    private static async Task<(IFormCollection? Form, ProblemHttpResult? Refusal)> VouchedFormAsync(
        HttpRequest request, WebhookOptions options, string webhook, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.AfricasTalking.IsConfigured)
        {
            return (null, WebhookProblems.NotConfigured());
        }
        var presented = request.Query[TokenParameter] is [{ } token] ? token : null;
        if (!SecretComparison.Matches(presented, options.AfricasTalking.WebhookToken!))
        {
            Log.WebhookRefused(logger, ProviderName.AfricasTalking, webhook, TokenParameter);
            return (null, WebhookProblems.InvalidSignature(TokenParameter));
        }
        return await WebhookForm.ReadAsync(request, cancellationToken);
    }
}
