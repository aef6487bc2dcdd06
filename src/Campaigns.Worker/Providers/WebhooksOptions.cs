using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Providers;

/// <summary>
/// <c>Webhooks:PublicBaseUrl</c> (the contract's name): the URL providers call back. Callback URLs
/// handed to providers are built from it, never from a request's host.
/// </summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    [Required]
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>An absolute URL at <paramref name="path"/> (which starts with <c>/</c>) under the public base.</summary>
    public Uri Url(string path) => new($"{PublicBaseUrl!.AbsoluteUri.TrimEnd('/')}{path}");
}
