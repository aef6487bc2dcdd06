using Campaigns.Core.Domain;

namespace Campaigns.Api.Webhooks;

/// <summary>A Twilio status callback's <c>MessageStatus</c> as a receipt kind (api.md, "Provider webhooks", Mapping).</summary>
public static class TwilioReceipts
{
    /// <summary>"Message Validity Period expired": Twilio gave up before sending, so the message expired.</summary>
    public const string ValidityExpiredErrorCode = "30036";

    public static Receipt Map(string messageSid, string status, string? errorCode) =>
        new(messageSid, Kind(status, errorCode), status, errorCode);

    public static string Kind(string status, string? errorCode) => status switch
    {
        "sent" => ReceiptKind.Sent,
        "delivered" => ReceiptKind.Delivered,
        "undelivered" => ReceiptKind.Undelivered,
        // Failed after acceptance: to this side the network gave up, so undelivered (not the send's failed).
        "failed" => errorCode == ValidityExpiredErrorCode ? ReceiptKind.Expired : ReceiptKind.Undelivered,
        "read" => ReceiptKind.Read,
        // queued, accepted, scheduled, sending, canceled and anything new: recorded, no effect.
        _ => ReceiptKind.ProviderStatus,
    };
}
