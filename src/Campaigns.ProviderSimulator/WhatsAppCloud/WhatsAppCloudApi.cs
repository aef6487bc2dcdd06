using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Campaigns.ProviderSimulator.Options;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Sending;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.WhatsAppCloud;

/// <summary>
/// Meta's WhatsApp Cloud API: <c>POST /{version}/{phone-number-id}/messages</c>, JSON (<c>messaging_product</c>,
/// <c>to</c> without <c>+</c>, <c>type</c> template with <c>template{name, language{code}, components}</c>,
/// <c>biz_opaque_callback_data</c>), <c>Authorization: Bearer</c> with the access token.
/// </summary>
public static class WhatsAppCloudApi
{
    public static IEndpointRouteBuilder MapWhatsAppCloudApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(@"/{version:regex(^v\d+\.\d+$)}/{phoneNumberId}/messages", SendAsync).WithName("WhatsAppCloudSend").WithTags("WhatsApp Cloud");
        return app;
    }

    private static Task<IResult> SendAsync(
        string phoneNumberId, HttpRequest request, Simulation simulation, IOptions<WhatsAppCloudCredentials> credentials, IOptions<WebhooksOptions> webhooks) =>
        simulation.SendAsync(ProviderNames.WhatsAppCloud, request.HttpContext,
            activity => AnswerAsync(phoneNumberId, request, simulation, credentials.Value, webhooks.Value, activity));

    private static async Task<SendAnswer> AnswerAsync(
        string phoneNumberId, HttpRequest request, Simulation simulation, WhatsAppCloudCredentials cloud, WebhooksOptions webhooks, Activity? activity)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var mode = simulation.Control.Called(ProviderNames.WhatsAppCloud);
        if (SendAnswer.ForMode(mode, () => WhatsAppCloudAnswers.Unavailable(), retryAfter => WhatsAppCloudAnswers.TooManyRequests(retryAfter)) is { } modeAnswer)
        {
            return modeAnswer;
        }
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || !Secrets.Matches(header.Parameter, cloud.AccessToken))
        {
            return new(WhatsAppCloudAnswers.Unauthorized(), "unauthorized");
        }
        if (!Secrets.Matches(phoneNumberId, cloud.PhoneNumberId))
        {
            return new(WhatsAppCloudAnswers.UnknownPhoneNumberId(phoneNumberId), "invalid");
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            body = null;
        }
        if (Invalid(body) is { } problem)
        {
            return new(WhatsAppCloudAnswers.InvalidParameter(problem), "invalid");
        }
        var to = body!["to"]!.GetValue<string>().TrimStart('+');
        var phone = "+" + to;
        if (!PhoneNumbers.IsE164(phone))
        {
            return new(WhatsAppCloudAnswers.InvalidParameter("Invalid parameter"), "permanent");
        }

        var decision = simulation.Rules.Decide(ProviderNames.WhatsAppCloud, phone, readable: true);
        var code = int.TryParse(decision.ErrorCode, out var parsed) ? parsed : (int?)null;
        switch (decision.Outcome)
        {
            case SendOutcome.Timeout:
                return await simulation.HoldAsync(cancellationToken);
            case SendOutcome.RateLimited:
                return new(WhatsAppCloudAnswers.TooManyRequests(decision.RetryAfter, code), decision.Tag);
            case SendOutcome.Transient:
                return new(WhatsAppCloudAnswers.Unavailable(code), decision.Tag);
            case SendOutcome.Permanent:
                return new(WhatsAppCloudAnswers.Refused(code), decision.Tag);
        }

        var wamid = ProviderIds.Wamid(to);
        activity?.SetTag("provider.message_id", wamid);
        if (webhooks.Url(WhatsAppCloudReceipts.CallbackPath) is { } callback)
        {
            var callbackData = body["biz_opaque_callback_data"]?.GetValueKind() == JsonValueKind.String
                ? body["biz_opaque_callback_data"]!.GetValue<string>()
                : null;
            var plan = simulation.PlanReceipts(decision, readable: true, WhatsAppCloudReceipts.Builder(
                callback, cloud.AppSecret, cloud.PhoneNumberId, wamid, to, callbackData, activity?.Context ?? default));
            await simulation.StartReceiptsAsync([plan], cancellationToken);
        }
        return new(WhatsAppCloudAnswers.Sent(to, wamid), decision.Tag);
    }

    /// <summary>What Graph would say of a malformed message, or null.</summary>
    private static string? Invalid(JsonNode? body)
    {
        if (body is not JsonObject message)
        {
            return "Invalid parameter";
        }
        if (Text(message["messaging_product"]) != "whatsapp")
        {
            return "The parameter messaging_product is required.";
        }
        if (string.IsNullOrEmpty(Text(message["to"])))
        {
            return "The parameter to is required.";
        }
        return (Text(message["type"]) ?? "text") switch
        {
            "template" when string.IsNullOrEmpty(Text(At(message, "template", "name"))) => "The parameter template['name'] is required.",
            "template" when string.IsNullOrEmpty(Text(At(message, "template", "language", "code"))) => "The parameter template['language'] is required.",
            "text" when string.IsNullOrEmpty(Text(At(message, "text", "body"))) => "The parameter text['body'] is required.",
            _ => null,
        };
    }

    /// <summary>The node at a path of object members, or null where any step is not an object.</summary>
    private static JsonNode? At(JsonObject root, params string[] path)
    {
        JsonNode? node = root;
        foreach (var name in path)
        {
            node = node is JsonObject parent ? parent[name] : null;
        }
        return node;
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
