namespace Campaigns.Core.Domain;

/// <summary>The providers by their contract names, as messages, receipts and inbound messages record them.</summary>
public static class ProviderName
{
    public const string Mock = "mock";
    public const string Twilio = "twilio";
    public const string AfricasTalking = "africastalking";
    public const string WhatsAppCloud = "whatsapp-cloud";
}
