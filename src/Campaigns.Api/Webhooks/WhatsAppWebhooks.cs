using System.Text.Json;
using Campaigns.Api.Errors;
using Campaigns.Api.Json;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// Meta's WhatsApp Cloud API webhook: the verification request that subscribes it, and notifications
/// (receipts and incoming messages, many in one), signed over the raw body with the app secret.
/// </summary>
public static class WhatsAppWebhooks
{
    public const string ModeParameter = "hub.mode";
    public const string VerifyTokenParameter = "hub.verify_token";
    public const string ChallengeParameter = "hub.challenge";

    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static Results<ContentHttpResult, ProblemHttpResult> VerifyWhatsAppWebhook(HttpRequest request, IOptions<WebhookOptions> options)
    {
        using var activity = WebhookSpan.Start(ProviderName.WhatsAppCloud, "verification");
        if (options.Value.WhatsAppCloud.VerifyToken is not { Length: > 0 } verifyToken)
        {
            return WebhookProblems.NotConfigured();
        }
        var query = request.Query;
        if (query[ModeParameter] != "subscribe" || !SecretComparison.Matches(query[VerifyTokenParameter] is [{ } token] ? token : null, verifyToken))
        {
            return WebhookProblems.VerificationRefused();
        }
        return query[ChallengeParameter] is [{ Length: > 0 } challenge]
            ? TypedResults.Text(challenge, "text/plain")
            : ApiProblem.Validation(ChallengeParameter, $"{ChallengeParameter} is required");
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveWhatsAppNotification(
        HttpRequest request, IOptions<WebhookOptions> options, WebhookInbox inbox, ILogger<WebhookInbox> logger, CancellationToken cancellationToken)
    {
        using var activity = WebhookSpan.Start(ProviderName.WhatsAppCloud, "notification");
        if (options.Value.WhatsAppCloud.AppSecret is not { Length: > 0 } appSecret)
        {
            return WebhookProblems.NotConfigured();
        }
        var signature = request.Headers[MetaSignature.HeaderName].ToString();
        byte[] body = [];
        if (signature.Length > 0)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        if (!MetaSignature.IsValid(signature, appSecret, body))
        {
            Log.WebhookRefused(logger, ProviderName.WhatsAppCloud, "notification", MetaSignature.HeaderName);
            return WebhookProblems.InvalidSignature(MetaSignature.HeaderName);
        }

        WhatsAppNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize<WhatsAppNotification>(body, Json);
        }
        catch (JsonException json)
        {
            return ApiProblem.InvalidJson(ApiExceptionHandler.JsonErrorMessage(json));
        }
        if (notification is null)
        {
            return ApiProblem.InvalidJson("The body must be a JSON object");
        }
        var errors = new ValidationErrors();
        var (receipts, inbound) = Contents(notification, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        await inbox.StoreAsync(ProviderName.WhatsAppCloud, receipts, inbound, cancellationToken);
        return TypedResults.Ok();
    }

    /// <summary>Every status and incoming message of every change, named by where it sits for errors.</summary>
    private static (List<Receipt> Receipts, List<InboundMessage> Inbound) Contents(WhatsAppNotification notification, ValidationErrors errors)
    {
        var receipts = new List<Receipt>();
        var inbound = new List<InboundMessage>();
        foreach (var (entry, e) in (notification.Entry ?? []).Select((entry, e) => (entry, e)))
        {
            foreach (var (change, c) in (entry?.Changes ?? []).Select((change, c) => (change, c)))
            {
                var at = $"entry[{e}].changes[{c}].value";
                var value = change?.Value;
                foreach (var (status, s) in (value?.Statuses ?? []).Select((status, s) => (status, s)))
                {
                    if (status is not null && WhatsAppReceipts.Map(status, $"{at}.statuses[{s}]", errors) is { } receipt)
                    {
                        receipts.Add(receipt);
                    }
                }
                foreach (var (message, m) in (value?.Messages ?? []).Select((message, m) => (message, m)))
                {
                    if (message is not null && WhatsAppInbound.Map(message, value!.Metadata, $"{at}.messages[{m}]", errors) is { } received)
                    {
                        inbound.Add(received);
                    }
                }
            }
        }
        return (receipts, inbound);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions();
        JsonSetup.Configure(options);
        return options;
    }
}
