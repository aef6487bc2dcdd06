namespace Campaigns.Core.Domain;

/// <summary>
/// What a provider's receipt means here (api.md, "Provider webhooks", Mapping), as the receipt inbox
/// (<c>provider_receipts.kind</c>) stores it.
/// </summary>
public static class ReceiptKind
{
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    public const string Expired = "expired";
    public const string Read = "read";

    /// <summary>Any other status a provider reported: recorded as an event, no effect on the message.</summary>
    public const string ProviderStatus = "provider_status";

    public static readonly IReadOnlyList<string> All = [Sent, Delivered, Undelivered, Expired, Read, ProviderStatus];
}
