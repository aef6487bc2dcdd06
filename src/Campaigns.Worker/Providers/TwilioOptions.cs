using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Providers;

/// <summary>Twilio Programmable Messaging (<c>Providers:Twilio:</c>). The token is a secret: never logged.</summary>
public sealed class TwilioOptions : IValidatableObject
{
    public const string SectionName = "Providers:Twilio";

    [Required]
    public string AccountSid { get; set; } = "";

    /// <summary>Authenticates our calls and signs Twilio's webhooks (the contract's name).</summary>
    [Required]
    public string AuthToken { get; set; } = "";

    /// <summary>The sending number or alphanumeric id for SMS; unused when <see cref="MessagingServiceSid"/> is set.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG…</c>) that picks the sender itself; wins over <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>The WhatsApp sender (E.164, with or without <c>whatsapp:</c>); else the Messaging Service.</summary>
    public string? WhatsAppFrom { get; set; }

    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(MessagingServiceSid) && string.IsNullOrWhiteSpace(WhatsAppFrom))
        {
            yield return new ValidationResult("Providers:Twilio needs a sender: From, WhatsAppFrom or MessagingServiceSid",
                [nameof(From), nameof(WhatsAppFrom), nameof(MessagingServiceSid)]);
        }
    }
}
