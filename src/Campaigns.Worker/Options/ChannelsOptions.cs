using System.ComponentModel.DataAnnotations;
using Campaigns.Core.Domain;

namespace Campaigns.Worker.Options;

/// <summary>
/// Per-channel provider limits (<c>Channels:</c> configuration), enforced across every worker replica
/// together: <c>Channels:Sms:MessagesPerSecond</c>, <c>Channels:WhatsApp:MessagesPerSecond</c>.
/// </summary>
public sealed class ChannelsOptions : IValidatableObject
{
    public const string SectionName = "Channels";

    public ChannelRateOptions Sms { get; set; } = new();

    public ChannelRateOptions WhatsApp { get; set; } = new();

    public ChannelRateOptions For(string channel) => channel switch
    {
        Channel.Sms => Sms,
        Channel.WhatsApp => WhatsApp,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, rate) in new[] { (nameof(Sms), Sms), (nameof(WhatsApp), WhatsApp) })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(rate, new ValidationContext(rate), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Channels:{name}: {result.ErrorMessage}",
                    result.MemberNames.Select(m => $"{name}.{m}"));
            }
        }
    }
}

/// <summary>
/// One channel's cap: a token bucket refilled at <see cref="MessagesPerSecond"/> holding at most
/// <see cref="Burst"/> permits (at least one), so any interval of t seconds sees at most
/// <c>MessagesPerSecond × t + Burst</c> provider calls, across all replicas.
/// </summary>
public sealed class ChannelRateOptions
{
    /// <summary>Steady rate across all workers; 0 (the default) means unlimited.</summary>
    [Range(0.0, 1_000_000.0)]
    public double MessagesPerSecond { get; set; }

    /// <summary>Permits that may be used at once after a quiet spell (the bucket's size; 0 counts as 1).</summary>
    [Range(0, 1_000_000)]
    public int Burst { get; set; }

    public bool IsLimited => MessagesPerSecond > 0;

    public int Capacity => Math.Max(1, Burst);
}
