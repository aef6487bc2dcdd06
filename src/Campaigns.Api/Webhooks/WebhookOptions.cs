using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// What the webhooks check a provider's proof of origin against, by the contract's names:
/// <c>Webhooks:PublicBaseUrl</c> and each provider's secrets under <c>Providers:</c>. A provider without
/// its secret is not configured: its webhooks answer 404. Bound from both sections, which share no names.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string WebhooksSection = "Webhooks";
    public const string ProvidersSection = "Providers";

    /// <summary>The URL providers call (<c>Webhooks:PublicBaseUrl</c>): Twilio signs the URL it called, not ours.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public TwilioSecrets Twilio { get; set; } = new();

    public AfricasTalkingSecrets AfricasTalking { get; set; } = new();

    public WhatsAppCloudSecrets WhatsAppCloud { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult($"{WebhooksSection}:{nameof(PublicBaseUrl)} must be an absolute URL", [nameof(PublicBaseUrl)]);
        }
        if (Twilio.IsConfigured && PublicBaseUrl is null)
        {
            yield return new ValidationResult(
                $"{ProvidersSection}:Twilio:AuthToken is set but {WebhooksSection}:{nameof(PublicBaseUrl)} is not: Twilio signs the public URL it calls",
                [nameof(PublicBaseUrl)]);
        }
    }

    /// <summary>
    /// The URL a provider called for this request: the public base, then the path and query as received
    /// (a proxy in front may have rewritten the host and scheme, never these).
    /// </summary>
    public string PublicUrlOf(HttpRequest request) =>
        PublicBaseUrl!.AbsoluteUri.TrimEnd('/') + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();

    public sealed class TwilioSecrets
    {
        /// <summary><c>Providers:Twilio:AuthToken</c>: the key of Twilio's request signatures.</summary>
        public string? AuthToken { get; set; }

        public bool IsConfigured => !string.IsNullOrEmpty(AuthToken);
    }

    public sealed class AfricasTalkingSecrets
    {
        /// <summary><c>Providers:AfricasTalking:WebhookToken</c>: the <c>?token=</c> of the URLs registered with Africa's Talking.</summary>
        public string? WebhookToken { get; set; }

        public bool IsConfigured => !string.IsNullOrEmpty(WebhookToken);
    }

    public sealed class WhatsAppCloudSecrets
    {
        /// <summary><c>Providers:WhatsAppCloud:AppSecret</c>: the key of Meta's <c>X-Hub-Signature-256</c>.</summary>
        public string? AppSecret { get; set; }

        /// <summary><c>Providers:WhatsAppCloud:VerifyToken</c>: what Meta's verification request must present.</summary>
        public string? VerifyToken { get; set; }
    }
}
