namespace Campaigns.ProviderSimulator.Outcomes;

/// <summary>What a simulated provider answers for one phone.</summary>
public enum SendOutcome
{
    Accept,
    /// <summary>Refused for good: an invalid number, an opt-out at the provider.</summary>
    Permanent,
    /// <summary>The provider unwell (503, or Africa's Talking's per-recipient 500).</summary>
    Transient,
    /// <summary>429 with <c>Retry-After</c>; nothing processed.</summary>
    RateLimited,
    /// <summary>No answer before the caller gives up; nothing sent.</summary>
    Timeout,
}

/// <summary>What becomes of an accepted message, as its receipts tell.</summary>
public enum ReceiptOutcome
{
    Delivered,
    Undelivered,
    /// <summary>Delivered, then read (WhatsApp; delivered elsewhere).</summary>
    Read,
    /// <summary>No receipt at all: the message stays <c>sent</c>.</summary>
    None,
}

/// <summary>The simulator's decision for one phone at one provider.</summary>
/// <param name="ErrorCode">The provider's code for a refusal or an undelivered receipt; null for its usual one.</param>
public sealed record Decision(SendOutcome Outcome, ReceiptOutcome Receipt, string? ErrorCode, TimeSpan RetryAfter)
{
    public static Decision Accepted(ReceiptOutcome receipt) => new(SendOutcome.Accept, receipt, null, TimeSpan.Zero);

    /// <summary>The metric and span tag.</summary>
    public string Tag => Outcome == SendOutcome.Accept ? "accepted" : Options.ConfigNames.Of(Outcome);
}
