using System.Diagnostics;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.Twilio;

/// <summary>
/// Twilio's status callbacks: a form POST to the message's <c>StatusCallback</c> URL (<c>MessageSid</c>,
/// <c>MessageStatus</c>, <c>ErrorCode</c> when it failed, …), signed with the auth token.
/// </summary>
public static class TwilioReceipts
{
    /// <summary>Twilio's usual code of an undelivered message: unreachable destination handset.</summary>
    public const string DefaultErrorCode = "30003";

    // Validity period expired: Twilio reports it as failed, not undelivered.
    private const string ExpiredErrorCode = "30036";

    /// <param name="message">The send's fields, as accepted.</param>
    public static Func<ReceiptStep, DateTimeOffset, Receipt> Builder(
        Uri statusCallback, string authToken, string accountSid, string sid, string to, string from, string? messagingServiceSid, ActivityContext parent) =>
        (step, _) =>
        {
            var (status, errorCode) = step.Kind switch
            {
                ReceiptKind.Sent => ("sent", null),
                ReceiptKind.Delivered => ("delivered", null),
                ReceiptKind.Read => ("read", null),
                _ when step.ErrorCode == ExpiredErrorCode => ("failed", ExpiredErrorCode),
                _ => ("undelivered", step.ErrorCode ?? DefaultErrorCode),
            };
            var form = new List<KeyValuePair<string, string>>
            {
                new("SmsSid", sid),
                new("SmsStatus", status),
                new("MessageStatus", status),
                new("To", to),
            };
            if (messagingServiceSid is not null)
            {
                form.Add(new("MessagingServiceSid", messagingServiceSid));
            }
            form.Add(new("MessageSid", sid));
            form.Add(new("AccountSid", accountSid));
            form.Add(new("From", from));
            form.Add(new("ApiVersion", TwilioAnswers.ApiVersion));
            if (errorCode is not null)
            {
                form.Add(new("ErrorCode", errorCode));
            }
            return new Receipt(ProviderNames.Twilio, status, sid, statusCallback, FormBody.Encode(form), FormBody.ContentType,
                [new(TwilioSignature.Header, TwilioSignature.Sign(statusCallback, form, authToken))], parent);
        };
}
