using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Providers;

/// <summary>Africa's Talking bulk SMS (<c>Providers:AfricasTalking:</c>). The API key is a secret: never logged.</summary>
public sealed class AfricasTalkingOptions
{
    public const string SectionName = "Providers:AfricasTalking";

    /// <summary>The application's username (<c>sandbox</c> in the sandbox).</summary>
    [Required]
    public string Username { get; set; } = "";

    [Required]
    public string ApiKey { get; set; } = "";

    /// <summary>Sender id or short code; AT's default sender when unset.</summary>
    public string? From { get; set; }

    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.africastalking.com/");

    /// <summary>Distinct phones in one request (AT documents no maximum; the design proposes 100).</summary>
    [Range(1, 1_000)]
    public int MaxRecipientsPerRequest { get; set; } = 100;
}
