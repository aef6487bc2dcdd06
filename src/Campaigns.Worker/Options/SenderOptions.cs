using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Campaigns.Worker.Options;

/// <summary>The mock provider's behaviour (<c>Sender:</c> configuration).</summary>
public sealed class SenderOptions : IValidatableObject
{
    public const string SectionName = "Sender";

    [Range(0, 60_000)]
    public int MinLatencyMs { get; set; } = 50;

    [Range(0, 60_000)]
    public int MaxLatencyMs { get; set; } = 200;

    [Range(0.0, 1.0)]
    public double SuccessRate { get; set; } = 0.92;

    /// <summary>Recipients (regex on the E.164 phone) for whom every attempt fails transiently. For tests.</summary>
    public string? ForcedTransientFailurePattern { get; set; }

    /// <summary>Recipients (regex on the E.164 phone) for whom every attempt fails permanently. For tests.</summary>
    public string? ForcedPermanentFailurePattern { get; set; }

    /// <summary>Record every call in the <c>sender_calls</c> table before it is made. For tests.</summary>
    public bool RecordCalls { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxLatencyMs < MinLatencyMs)
        {
            yield return new ValidationResult("Sender:MaxLatencyMs must not be below Sender:MinLatencyMs",
                [nameof(MaxLatencyMs), nameof(MinLatencyMs)]);
        }
        foreach (var (name, pattern) in new[]
                 {
                     (nameof(ForcedTransientFailurePattern), ForcedTransientFailurePattern),
                     (nameof(ForcedPermanentFailurePattern), ForcedPermanentFailurePattern),
                 })
        {
            if (string.IsNullOrEmpty(pattern))
            {
                continue;
            }
            string? error = null;
            try
            {
                _ = new Regex(pattern);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
            }
            if (error is not null)
            {
                yield return new ValidationResult($"Sender:{name} is not a valid regular expression: {error}", [name]);
            }
        }
    }
}
