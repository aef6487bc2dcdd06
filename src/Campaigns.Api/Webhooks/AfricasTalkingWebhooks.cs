using Campaigns.Api.Validation;
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
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken)
    {
        using var activity = WebhookSpan.Start(ProviderName.AfricasTalking, "delivery");
        var (form, refusal) = await VouchedFormAsync(request, options.Value, "delivery", logger, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var errors = new ValidationErrors();
        var id = WebhookForm.Required(form!, "id", errors);
        var status = WebhookForm.Required(form!, "status", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var receipt = AfricasTalkingReceipts.Map(id!, status!, WebhookForm.Optional(form!, "failureReason"));
        await inbox.StoreAsync(ProviderName.AfricasTalking, [receipt], [], cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAfricasTalkingMessage(
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken)
    {
        using var activity = WebhookSpan.Start(ProviderName.AfricasTalking, "inbound");
        var (form, refusal) = await VouchedFormAsync(request, options.Value, "inbound", logger, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var errors = new ValidationErrors();
        var id = WebhookForm.Required(form!, "id", errors);
        var from = WebhookForm.Required(form!, "from", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var message = new InboundMessage(id!, Channel.Sms, from!, WebhookForm.Optional(form!, "to"), WebhookForm.Optional(form!, "text") ?? "");
        await inbox.StoreAsync(ProviderName.AfricasTalking, [], [message], cancellationToken);
        return TypedResults.NoContent();
    }

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
