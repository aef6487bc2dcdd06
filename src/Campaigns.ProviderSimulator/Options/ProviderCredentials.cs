namespace Campaigns.ProviderSimulator.Options;

/// <summary>
/// The credentials the simulated providers accept and sign with, under the names the worker and the
/// API read (<c>Providers:Twilio:</c>, <c>Providers:AfricasTalking:</c>, <c>Providers:WhatsAppCloud:</c>),
/// so one set of settings configures all three. An empty credential accepts nothing.
/// </summary>
public sealed class TwilioCredentials
{
    public const string SectionName = "Providers:Twilio";

    public string AccountSid { get; set; } = "";

    /// <summary>Checks the Basic auth of sends and signs status callbacks.</summary>
    public string AuthToken { get; set; } = "";
}

/// <inheritdoc cref="TwilioCredentials"/>
public sealed class AfricasTalkingCredentials
{
    public const string SectionName = "Providers:AfricasTalking";

    public string Username { get; set; } = "";

    public string ApiKey { get; set; } = "";

    /// <summary>The <c>?token=</c> of the delivery report URL registered with Africa's Talking.</summary>
    public string WebhookToken { get; set; } = "";
}

/// <inheritdoc cref="TwilioCredentials"/>
public sealed class WhatsAppCloudCredentials
{
    public const string SectionName = "Providers:WhatsAppCloud";

    public string AccessToken { get; set; } = "";

    /// <summary>The business phone number's id: the only one sends may name.</summary>
    public string PhoneNumberId { get; set; } = "";

    /// <summary>Signs the status webhooks (<c>X-Hub-Signature-256</c>).</summary>
    public string AppSecret { get; set; } = "";
}
