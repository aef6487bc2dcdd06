namespace Campaigns.Core.Domain;

/// <summary>
/// The providers by their contract names, as messages, receipts and inbound messages record them and a channel's
/// chain names them (<c>Providers:Sms:Chain</c>, <c>Providers:WhatsApp:Chain</c>).
/// </summary>
public static class ProviderName
{
    /// <summary>In process, no receipts: the default of every channel.</summary>
    public const string Mock = "mock";
    public const string Twilio = "twilio";
    public const string AfricasTalking = "africastalking";
    /// <summary>Meta's WhatsApp Cloud API: sends pre-approved templates only.</summary>
    public const string WhatsAppCloud = "whatsapp-cloud";

    public static readonly IReadOnlyList<string> All = [Mock, Twilio, AfricasTalking, WhatsAppCloud];
}
