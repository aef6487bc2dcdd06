using Campaigns.Core.Domain;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Sends template messages through Meta's WhatsApp Cloud API: <c>POST /{version}/{phone-number-id}/messages</c>,
/// JSON, bearer token. Accepted is not sent: many failures arrive later as a <c>failed</c> status webhook.
/// </summary>
public sealed class WhatsAppCloudClient(
    HttpClient http,
    IOptions<WhatsAppCloudOptions> options,
    TimeProvider time,
    ILogger<WhatsAppCloudClient> logger)
{
    public const string Name = ProviderName.WhatsAppCloud;

    public Task<ProviderOutcome> SendAsync(WhatsAppTemplateMessage message, CancellationToken cancellationToken)
    {
        var cloud = options.Value;
        var request = new HttpRequestMessage(HttpMethod.Post, $"{cloud.ApiVersion}/{Uri.EscapeDataString(cloud.PhoneNumberId)}/messages")
        {
            Content = JsonContent.Create(Body(message)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cloud.AccessToken);
        return ProviderCall.SendAsync(http, request, InterpretAsync, outcome => outcome, Name, logger, cancellationToken);
    }

    private static JsonObject Body(WhatsAppTemplateMessage message)
    {
        var template = new JsonObject
        {
            ["name"] = message.TemplateName,
            ["language"] = new JsonObject { ["code"] = message.LanguageCode },
        };
        // A template without parameters takes no components (an empty list is an error at Meta).
        if (message.Parameters.Count > 0)
        {
            var parameters = new JsonArray();
            foreach (var text in message.Parameters)
            {
                parameters.Add(new JsonObject { ["type"] = "text", ["text"] = text });
            }
            template["components"] = new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = parameters });
        }
        return new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            // WhatsApp ids are international numbers without the +.
            ["to"] = message.Phone.TrimStart('+'),
            ["type"] = "template",
            ["template"] = template,
            ["biz_opaque_callback_data"] = message.IdempotencyKey,
        };
    }

    private async Task<ProviderOutcome> InterpretAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var sent = await ProviderJson.TryReadAsync<SendAnswer>(response.Content, cancellationToken);
            return sent?.Messages is [{ Id: { Length: > 0 } id }, ..]
                ? ProviderOutcome.Accepted(id) with { HttpStatus = status }
                : ProviderCall.Logged(ProviderOutcome.Unknown("unreadable_answer", "A success without a message id") with { HttpStatus = status }, Name, logger);
        }
        var error = (await ProviderJson.TryReadAsync<ErrorAnswer>(response.Content, cancellationToken))?.Error;
        var outcome = WhatsAppCloudErrors.Classify(status, error?.Code, error?.Message ?? response.ReasonPhrase,
            RetryAfterHeader.Read(response, time));
        return ProviderCall.Logged(outcome with { HttpStatus = status }, Name, logger);
    }

    private sealed record SendAnswer(List<SentMessage>? Messages);

    private sealed record SentMessage(string? Id);

    private sealed record ErrorAnswer(GraphError? Error);

    private sealed record GraphError(int? Code, string? Message, string? Type);
}
