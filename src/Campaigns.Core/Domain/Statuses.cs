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
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Failed, Cancelled];
}

/// <summary>Delivery channels.</summary>
public static class Channel
{
    public const string Sms = "sms";
    public const string WhatsApp = "whatsapp";

    public static readonly IReadOnlyList<string> All = [Sms, WhatsApp];
}
