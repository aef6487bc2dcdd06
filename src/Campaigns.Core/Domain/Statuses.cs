namespace Campaigns.Core.Domain;

/// <summary>Campaign statuses as stored and as the API spells them.</summary>
public static class CampaignStatus
{
    public const string Draft = "draft";
    public const string Scheduled = "scheduled";
    public const string Sending = "sending";
    public const string Paused = "paused";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Draft, Scheduled, Sending, Paused, Sent, Failed, Cancelled];
}

/// <summary>Message statuses as stored and as the API spells them.</summary>
public static class MessageStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    /// <summary>A provider accepted it; a receipt may still move it to delivered or undelivered.</summary>
    public const string Sent = "sent";
    /// <summary>The handset got it (a receipt said so).</summary>
    public const string Delivered = "delivered";
    /// <summary>The network gave up after the provider accepted it.</summary>
    public const string Undelivered = "undelivered";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    /// <summary>Not sent before its validity ended: terminal, not a failure.</summary>
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Delivered, Undelivered, Failed, Cancelled, Expired];
}

/// <summary>Delivery channels.</summary>
public static class Channel
{
    public const string Sms = "sms";
    public const string WhatsApp = "whatsapp";

    public static readonly IReadOnlyList<string> All = [Sms, WhatsApp];
}
