using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Security;

/// <summary>
/// Who may call the API (<c>Auth:</c> configuration). <c>ApiKeys</c> lists accepted keys, each either
/// as issued or, better, as <c>sha256:&lt;hex&gt;</c> of the key so the configuration never holds a usable key.
/// </summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    public string[] ApiKeys { get; set; } = [];

    /// <summary>Turns authentication off; must be said explicitly, and is logged as a warning.</summary>
    public bool Disabled { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Disabled && !ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k)))
        {
            yield return new ValidationResult(
                "No API key is configured: set Auth:ApiKeys (or Auth:Disabled=true to run without authentication)",
                [nameof(ApiKeys)]);
        }
    }
}
