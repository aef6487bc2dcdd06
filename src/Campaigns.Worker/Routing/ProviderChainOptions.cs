using System.ComponentModel.DataAnnotations;
using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;

namespace Campaigns.Worker.Routing;

/// <summary>
/// Each channel's ordered provider chain (<c>Providers:Sms:Chain</c>, <c>Providers:WhatsApp:Chain</c>;
/// the contract's names). The in-process <c>mock</c> is the default and stands alone.
/// </summary>
public sealed class ProviderChainOptions : IValidatableObject
{
    public const string SectionName = "Providers";
    public const string Mock = ProviderName.Mock;

    public ChainOptions Sms { get; set; } = new();

    public ChainOptions WhatsApp { get; set; } = new();

    public IReadOnlyList<string> For(string channel) => (channel switch
    {
        Channel.Sms => Sms,
        Channel.WhatsApp => WhatsApp,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    }).Effective;

    /// <summary>Whether <paramref name="provider"/> can carry <paramref name="channel"/>.</summary>
    public static bool Carries(string provider, string channel) => provider switch
    {
        Mock or TwilioClient.Name => true,
        AfricasTalkingClient.Name => channel == Channel.Sms,
        WhatsAppCloudClient.Name => channel == Channel.WhatsApp,
        _ => false,
    };

    public IEnumerable<string> Configured => Channel.All.SelectMany(For).Distinct(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var channel in Channel.All)
        {
            var chain = For(channel);
            var section = $"Providers:{(channel == Channel.Sms ? nameof(Sms) : nameof(WhatsApp))}:Chain";
            foreach (var provider in chain.Where(p => !Carries(p, channel)))
            {
                yield return new ValidationResult($"{section}: '{provider}' cannot send {channel} (known: mock, twilio, africastalking, whatsapp-cloud)");
            }
            if (chain.Contains(Mock) && chain.Count > 1)
            {
                yield return new ValidationResult($"{section}: the mock provider stands alone");
            }
            if (chain.Distinct(StringComparer.Ordinal).Count() != chain.Count)
            {
                yield return new ValidationResult($"{section}: a provider appears twice");
            }
        }
    }

    public sealed class ChainOptions
    {
        public List<string> Chain { get; set; } = [];

        public IReadOnlyList<string> Effective => Chain.Count == 0 ? [Mock] : Chain;
    }
}
