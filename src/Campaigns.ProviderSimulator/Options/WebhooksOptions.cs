namespace Campaigns.ProviderSimulator.Options;

/// <summary>
/// <c>Webhooks:PublicBaseUrl</c>, the API's public base: where Africa's Talking's and Meta's receipts go
/// (the URLs an operator registers in their dashboards). Twilio's go to each message's StatusCallback.
/// Unset: those two providers post no receipts.
/// </summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    public Uri? PublicBaseUrl { get; set; }

    /// <summary>An absolute URL at <paramref name="pathAndQuery"/> (which starts with <c>/</c>) under the public base.</summary>
    public Uri? Url(string pathAndQuery) =>
        PublicBaseUrl is null ? null : new($"{PublicBaseUrl.AbsoluteUri.TrimEnd('/')}{pathAndQuery}");
}
