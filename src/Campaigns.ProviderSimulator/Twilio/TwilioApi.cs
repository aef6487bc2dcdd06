using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Campaigns.ProviderSimulator.Options;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Sending;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Twilio;

/// <summary>
/// Twilio Programmable Messaging's Message resource: <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>,
/// form-encoded (<c>To</c>, <c>From</c> or <c>MessagingServiceSid</c>, <c>Body</c>, <c>StatusCallback</c>),
/// HTTP Basic auth with the account sid and auth token. WhatsApp rides on it with <c>whatsapp:</c> numbers.
/// </summary>
public static class TwilioApi
{
    private const string WhatsAppPrefix = "whatsapp:";

    // Twilio's test number: the sender a Messaging Service picks here.
    private const string ServiceSender = "+15005550006";

    public static IEndpointRouteBuilder MapTwilioApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", SendAsync).WithName("TwilioSend").WithTags("Twilio");
        return app;
    }

    private static Task<IResult> SendAsync(
        string accountSid, HttpRequest request, Simulation simulation, IOptions<TwilioCredentials> credentials, TimeProvider time) =>
        simulation.SendAsync(ProviderNames.Twilio, request.HttpContext,
            activity => AnswerAsync(accountSid, request, simulation, credentials.Value, time, activity));

    private static async Task<SendAnswer> AnswerAsync(
        string accountSid, HttpRequest request, Simulation simulation, TwilioCredentials twilio, TimeProvider time, Activity? activity)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var mode = simulation.Control.Called(ProviderNames.Twilio);
        if (SendAnswer.ForMode(mode, () => TwilioAnswers.Unavailable(), retryAfter => TwilioAnswers.TooManyRequests(retryAfter)) is { } modeAnswer)
        {
            return modeAnswer;
        }
        if (!Authorized(request, accountSid, twilio))
        {
            return new(TwilioAnswers.Unauthorized(), "unauthorized");
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : FormCollection.Empty;
        string to = form["To"].ToString(), from = form["From"].ToString(), service = form["MessagingServiceSid"].ToString();
        string body = form["Body"].ToString(), callback = form["StatusCallback"].ToString();
        var whatsApp = to.StartsWith(WhatsAppPrefix, StringComparison.Ordinal);
        var phone = whatsApp ? to[WhatsAppPrefix.Length..] : to;
        if (to.Length == 0)
        {
            return Invalid(21604, "A 'To' phone number is required.");
        }
        if (from.Length == 0 && service.Length == 0)
        {
            return Invalid(21603, "A 'From' phone number is required.");
        }
        if (body.Length == 0)
        {
            return Invalid(21602, "Message body is required.");
        }
        Uri? statusCallback = null;
        if (callback.Length > 0 && (!Uri.TryCreate(callback, UriKind.Absolute, out statusCallback) || statusCallback.Scheme is not ("http" or "https")))
        {
            return Invalid(21609, $"The StatusCallback URL {callback} is not a valid URL.");
        }
        if (!PhoneNumbers.IsE164(phone))
        {
            return new(TwilioAnswers.Refused(21211, to), "permanent");
        }

        var decision = simulation.Rules.Decide(ProviderNames.Twilio, phone, readable: whatsApp);
        var code = int.TryParse(decision.ErrorCode, out var parsed) ? parsed : (int?)null;
        switch (decision.Outcome)
        {
            case SendOutcome.Timeout:
                return await simulation.HoldAsync(cancellationToken);
            case SendOutcome.RateLimited:
                return new(TwilioAnswers.TooManyRequests(decision.RetryAfter, code), decision.Tag);
            case SendOutcome.Transient:
                return new(TwilioAnswers.Unavailable(code), decision.Tag);
            case SendOutcome.Permanent:
                return new(TwilioAnswers.Refused(code, to), decision.Tag);
        }

        var sid = ProviderIds.TwilioSid();
        activity?.SetTag("provider.message_id", sid);
        if (statusCallback is not null)
        {
            var sender = from.Length > 0 ? from : (whatsApp ? WhatsAppPrefix : "") + ServiceSender;
            var plan = simulation.PlanReceipts(decision, readable: whatsApp, TwilioReceipts.Builder(
                statusCallback, twilio.AuthToken, twilio.AccountSid, sid, to, sender, service.Length > 0 ? service : null,
                activity?.Context ?? default));
            await simulation.StartReceiptsAsync([plan], cancellationToken);
        }
        return new(TwilioAnswers.Created(twilio.AccountSid, sid, to, from.Length > 0 ? from : null, service.Length > 0 ? service : null,
            body, time.GetUtcNow()), decision.Tag);
    }

    private static SendAnswer Invalid(int code, string message) =>
        new(TwilioAnswers.Error(StatusCodes.Status400BadRequest, code, message), "invalid");

    /// <summary>Basic auth with the account's sid and token, for the account in the path.</summary>
    private static bool Authorized(HttpRequest request, string accountSid, TwilioCredentials twilio)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && Secrets.Matches(decoded[..colon], twilio.AccountSid)
            && Secrets.Matches(accountSid, twilio.AccountSid)
            && Secrets.Matches(decoded[(colon + 1)..], twilio.AuthToken);
    }
}
