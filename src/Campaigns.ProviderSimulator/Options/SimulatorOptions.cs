using System.ComponentModel.DataAnnotations;

namespace Campaigns.ProviderSimulator.Options;

/// <summary>
/// How the simulated providers behave (<c>Simulator:</c> configuration). Phones no rule matches are
/// accepted and get receipts by the rates below; <see cref="Rules"/> make outcomes deterministic.
/// </summary>
public sealed class SimulatorOptions : IValidatableObject
{
    public const string SectionName = "Simulator";

    /// <summary>Latency of every send answer, like the worker's in-process mock.</summary>
    [Range(0, 60_000)]
    public int MinLatencyMs { get; set; } = 50;

    [Range(0, 60_000)]
    public int MaxLatencyMs { get; set; } = 200;

    /// <summary>How long a <c>timeout</c> outcome holds the request: longer than any caller waits.</summary>
    [Range(1, 600_000)]
    public int TimeoutHangMs { get; set; } = 60_000;

    /// <summary>Ordered: the first rule whose pattern (and provider, if given) matches decides.</summary>
    public List<OutcomeRule> Rules { get; set; } = [];

    /// <summary>Of the unmatched accepted messages, those that get a <c>delivered</c> receipt.</summary>
    [Range(0.0, 1.0)]
    public double DeliveredRate { get; set; } = 0.90;

    /// <summary>Of the unmatched accepted messages, those that get an <c>undelivered</c> receipt; the rest get none.</summary>
    [Range(0.0, 1.0)]
    public double UndeliveredRate { get; set; } = 0.08;

    /// <summary>Of the delivered unmatched WhatsApp messages, those that are then read.</summary>
    [Range(0.0, 1.0)]
    public double ReadRate { get; set; } = 0.5;

    /// <summary>When the final receipt of a message is posted after its acceptance (its <c>sent</c> comes earlier).</summary>
    [Range(0, 600_000)]
    public int ReceiptDelayMinMs { get; set; } = 500;

    [Range(0, 600_000)]
    public int ReceiptDelayMaxMs { get; set; } = 3_000;

    /// <summary>Messages one of whose receipts is posted twice.</summary>
    [Range(0.0, 1.0)]
    public double DuplicateRate { get; set; } = 0.05;

    /// <summary>Messages whose final receipt is posted before their <c>sent</c>.</summary>
    [Range(0.0, 1.0)]
    public double OutOfOrderRate { get; set; } = 0.05;

    /// <summary>Messages whose <c>sent</c> receipt is posted before the send's answer is returned.</summary>
    [Range(0.0, 1.0)]
    public double EarlyRate { get; set; } = 0.05;

    /// <summary>Receipts waiting to be posted; beyond it new ones are dropped (and logged).</summary>
    [Range(1, 10_000_000)]
    public int ReceiptQueueCapacity { get; set; } = 200_000;

    /// <summary>Receipts posted at once.</summary>
    [Range(1, 1_000)]
    public int ReceiptConcurrency { get; set; } = 32;

    /// <summary>Posts of one receipt the API answers with 5xx, 429 or not at all, before it is given up.</summary>
    [Range(1, 20)]
    public int ReceiptAttempts { get; set; } = 4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxLatencyMs < MinLatencyMs)
        {
            yield return new ValidationResult("Simulator:MaxLatencyMs must not be below Simulator:MinLatencyMs",
                [nameof(MaxLatencyMs), nameof(MinLatencyMs)]);
        }
        if (ReceiptDelayMaxMs < ReceiptDelayMinMs)
        {
            yield return new ValidationResult("Simulator:ReceiptDelayMaxMs must not be below Simulator:ReceiptDelayMinMs",
                [nameof(ReceiptDelayMaxMs), nameof(ReceiptDelayMinMs)]);
        }
        if (DeliveredRate + UndeliveredRate > 1.0)
        {
            yield return new ValidationResult("Simulator:DeliveredRate and Simulator:UndeliveredRate add up to more than 1",
                [nameof(DeliveredRate), nameof(UndeliveredRate)]);
        }
        for (var i = 0; i < Rules.Count; i++)
        {
            foreach (var error in Rules[i].Validate())
            {
                yield return new ValidationResult($"Simulator:Rules:{i}: {error}", [nameof(Rules)]);
            }
        }
    }
}
