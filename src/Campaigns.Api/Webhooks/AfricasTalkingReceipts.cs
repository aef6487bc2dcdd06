using Campaigns.Core.Domain;

namespace Campaigns.Api.Webhooks;

/// <summary>An Africa's Talking delivery report's <c>status</c> as a receipt kind (api.md, "Provider webhooks", Mapping).</summary>
public static class AfricasTalkingReceipts
{
    /// <summary>The failure reason of a phone that blocked the sender: a provider-side opt-out.</summary>
    public const string BlacklistedReason = "UserInBlackList";

    public static Receipt Map(string id, string status, string? failureReason)
    {
        var kind = Kind(status);
        var optedOut = kind == ReceiptKind.Undelivered && string.Equals(failureReason, BlacklistedReason, StringComparison.OrdinalIgnoreCase);
        return new Receipt(id, kind, status, string.IsNullOrEmpty(failureReason) ? null : failureReason, SuppressPhone: optedOut);
    }

    public static string Kind(string status) => status switch
    {
        "Success" => ReceiptKind.Delivered,
        "Failed" or "Rejected" => ReceiptKind.Undelivered,
        "Sent" or "Buffered" or "Submitted" => ReceiptKind.Sent,
        // AbsentSubscriber and the like: recorded, no effect.
        _ => ReceiptKind.ProviderStatus,
    };
}
