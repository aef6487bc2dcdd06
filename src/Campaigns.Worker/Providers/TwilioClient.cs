using System.Net.Http.Headers;
using System.Text;
using Campaigns.Core.Domain;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Sends through Twilio's Message resource: <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>,
/// form-encoded, HTTP Basic auth, one message per request, its receipts to our status webhook.
/// </summary>
public sealed class TwilioClient(
    HttpClient http,
    IOptions<TwilioOptions> options,
    IOptions<WebhooksOptions> webhooks,
    TimeProvider time,
    ILogger<TwilioClient> logger)
{
    public const string Name = ProviderName.Twilio;

    /// <summary>The contract's status webhook.</summary>
    public const string StatusCallbackPath = "/webhooks/twilio/status";

    private const string WhatsAppPrefix = "whatsapp:";

    /// <summary>Twilio's longest ValidityPeriod (its default): a longer validity is sent as this.</summary>
    public const int MaxValidityPeriodSeconds = 36_000;

    public Task<ProviderOutcome> SendAsync(TwilioMessage message, CancellationToken cancellationToken)
    {
        var twilio = options.Value;
        var request = new HttpRequestMessage(HttpMethod.Post, $"2010-04-01/Accounts/{Uri.EscapeDataString(twilio.AccountSid)}/Messages.json")
        {
            Content = new FormUrlEncodedContent(Form(message, twilio)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return ProviderCall.SendAsync(http, request, InterpretAsync, outcome => outcome, Name, logger, cancellationToken);
    }

    private List<KeyValuePair<string, string>> Form(TwilioMessage message, TwilioOptions twilio)
    {
        var whatsApp = message.Channel == Channel.WhatsApp;
        var form = new List<KeyValuePair<string, string>>
        {
            new("To", whatsApp ? WhatsAppPrefix + message.Phone : message.Phone),
        };
        // Exactly one of From and MessagingServiceSid; a WhatsApp sender is a number of its own.
        var from = whatsApp ? twilio.WhatsAppFrom : twilio.From;
        if (!string.IsNullOrWhiteSpace(twilio.MessagingServiceSid) && (!whatsApp || string.IsNullOrWhiteSpace(from)))
        {
            form.Add(new("MessagingServiceSid", twilio.MessagingServiceSid));
        }
        else if (!string.IsNullOrWhiteSpace(from))
        {
            form.Add(new("From", whatsApp && !from.StartsWith(WhatsAppPrefix, StringComparison.Ordinal) ? WhatsAppPrefix + from : from));
        }
        form.Add(new("Body", message.Body));
        if (message.ValidFor is { } validFor)
        {
            var seconds = (int)Math.Clamp(Math.Floor(validFor.TotalSeconds), 1, MaxValidityPeriodSeconds);
            form.Add(new("ValidityPeriod", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        // Per message, so it overrides the Messaging Service's; the key lets receipts be deduplicated.
        form.Add(new("StatusCallback", $"{webhooks.Value.Url(StatusCallbackPath).AbsoluteUri}?key={Uri.EscapeDataString(message.IdempotencyKey)}"));
        return form;
    }

    private async Task<ProviderOutcome> InterpretAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var created = await ProviderJson.TryReadAsync<MessageResource>(response.Content, cancellationToken);
            // Twilio took the request, but without its sid we cannot tell what became of it.
            return created?.Sid is { Length: > 0 } sid
                ? ProviderOutcome.Accepted(sid) with { HttpStatus = status }
                : ProviderCall.Logged(ProviderOutcome.Unknown("unreadable_answer", "A success without a message sid") with { HttpStatus = status }, Name, logger);
        }
        var error = await ProviderJson.TryReadAsync<ErrorResource>(response.Content, cancellationToken);
        var outcome = TwilioErrors.Classify(status, error?.Code, error?.Message ?? response.ReasonPhrase,
            RetryAfterHeader.Read(response, time));
        return ProviderCall.Logged(outcome with { HttpStatus = status }, Name, logger);
    }

    private sealed record MessageResource(string? Sid, string? Status);

    private sealed record ErrorResource(int? Code, string? Message, int? Status);
}
