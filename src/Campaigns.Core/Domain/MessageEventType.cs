namespace Campaigns.Core.Domain;

/// <summary>
/// The kinds of a message's timeline events (<c>message_events.type</c>, the events endpoint's <c>type</c>):
/// one list for the CHECK constraint, the API and its OpenAPI document.
/// </summary>
public static class MessageEventType
{
    /// <summary>The message was written by the send: its <c>created_at</c>, never stored as an event.</summary>
    public const string Queued = "queued";
    public const string Claimed = "claimed";
    public const string AttemptFailed = "attempt_failed";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    public const string Read = "read";
    public const string Clicked = "clicked";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
    /// <summary>Any other status a provider reported: recorded, no effect.</summary>
    public const string ProviderStatus = "provider_status";

    public static readonly IReadOnlyList<string> All =
        [Queued, Claimed, AttemptFailed, Sent, Delivered, Undelivered, Read, Clicked, Failed, Cancelled, Expired, ProviderStatus];
}
