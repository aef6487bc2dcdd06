namespace Campaigns.ProviderSimulator.Sending;

/// <summary>The providers simulated, by the names the worker's chains use.</summary>
public static class ProviderNames
{
    public const string Twilio = "twilio";
    public const string AfricasTalking = "africastalking";
    public const string WhatsAppCloud = "whatsapp-cloud";

    public static readonly IReadOnlyList<string> All = [Twilio, AfricasTalking, WhatsAppCloud];
}
