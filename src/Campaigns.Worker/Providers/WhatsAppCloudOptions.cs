using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Providers;

/// <summary>Meta's WhatsApp Cloud API (<c>Providers:WhatsAppCloud:</c>). The token is a secret: never logged.</summary>
public sealed class WhatsAppCloudOptions
{
    public const string SectionName = "Providers:WhatsAppCloud";

    /// <summary>A system user's access token.</summary>
    [Required]
    public string AccessToken { get; set; } = "";

    /// <summary>The business phone number's id (not the number).</summary>
    [Required]
    public string PhoneNumberId { get; set; } = "";

    [Required, RegularExpression(@"^v\d+\.\d+$")]
    public string ApiVersion { get; set; } = "v23.0";

    [Required]
    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com/");
}
