using Campaigns.Core.Domain;

namespace Campaigns.Api.Sending;

/// <summary>
/// One channel's provider chain (<c>Providers:Sms:Chain</c>, <c>Providers:WhatsApp:Chain</c>; default
/// <c>["mock"]</c>), bound once per channel, named by it. The worker routes by it and validates it; the API reads
/// it only to refuse a send that no provider of the chain could make.
/// </summary>
public sealed class ProviderChainOptions
{
    // Null until bound: a default array would be appended to, not replaced, by the configured one.
    public string[]? Chain { get; set; }

    /// <summary>The chain as configured, else <c>["mock"]</c>.</summary>
    public IReadOnlyList<string> Providers => Chain is { Length: > 0 } chain ? chain : [ProviderName.Mock];

    /// <summary>Every provider of the chain sends only pre-approved WhatsApp templates.</summary>
    public bool SendsOnlyTemplates => Providers.All(provider => provider == ProviderName.WhatsAppCloud);

    public static string SectionOf(string channel) => channel switch
    {
        Channel.Sms => "Providers:Sms",
        Channel.WhatsApp => "Providers:WhatsApp",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    };
}
