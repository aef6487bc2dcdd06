namespace Campaigns.Worker.Providers;

public enum ProviderOutcomeKind
{
    /// <summary>The provider took the message; <see cref="ProviderOutcome.ProviderMessageId"/> joins its receipts.</summary>
    Accepted,
    /// <summary>Never going to work, at any provider: fail now, never fail over.</summary>
    PermanentFailure,
    /// <summary>Worth another attempt, possibly at another provider; charges an attempt.</summary>
    TransientFailure,
    /// <summary>The provider asked us to slow down before processing anything: hand back, no attempt charged.</summary>
    RateLimited,
    /// <summary>A timeout or reset after the request was written: the provider may have sent it, so never fail over.</summary>
    Unknown,
    /// <summary>The request never left (the circuit is open): hand back, no attempt charged.</summary>
    NotAttempted,
}

/// <summary>
/// What one provider made of one message, independent of <c>SendResult</c>: the router of issue #14
/// maps it to an attempt outcome. <see cref="ErrorCode"/> is the provider's own code as a string.
/// </summary>
public sealed record ProviderOutcome(ProviderOutcomeKind Kind)
{
    public string? ProviderMessageId { get; init; }

    public string? ErrorCode { get; init; }

    public string? Error { get; init; }

    /// <summary>How long to wait before the next try (rate-limited and not-attempted outcomes).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A provider-side opt-out: the phone is to be suppressed (source <c>provider</c>).</summary>
    public bool SuppressPhone { get; init; }

    /// <summary>The provider itself is unwell or misconfigured: counts toward its circuit.</summary>
    public bool CircuitFailure { get; init; }

    /// <summary>A rate limit of the whole provider (slow its shared rate), not of this message only.</summary>
    public bool SlowsProvider { get; init; }

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public int? HttpStatus { get; init; }

    public static ProviderOutcome Accepted(string providerMessageId) =>
        new(ProviderOutcomeKind.Accepted) { ProviderMessageId = providerMessageId };

    public static ProviderOutcome Permanent(string code, string? error, bool suppressPhone = false) =>
        new(ProviderOutcomeKind.PermanentFailure) { ErrorCode = code, Error = error, SuppressPhone = suppressPhone };

    public static ProviderOutcome Transient(string code, string? error, bool circuitFailure = false) =>
        new(ProviderOutcomeKind.TransientFailure) { ErrorCode = code, Error = error, CircuitFailure = circuitFailure };

    public static ProviderOutcome RateLimited(TimeSpan retryAfter, string code, string? error, bool slowsProvider = true) =>
        new(ProviderOutcomeKind.RateLimited) { RetryAfter = retryAfter, ErrorCode = code, Error = error, SlowsProvider = slowsProvider };

    public static ProviderOutcome Unknown(string code, string? error) =>
        new(ProviderOutcomeKind.Unknown) { ErrorCode = code, Error = error };

    public static ProviderOutcome NotAttempted(TimeSpan? retryAfter, string code, string? error) =>
        new(ProviderOutcomeKind.NotAttempted) { RetryAfter = retryAfter, ErrorCode = code, Error = error };

    /// <summary>The tag for metrics and logs (never an id).</summary>
    public string OutcomeTag => Kind switch
    {
        ProviderOutcomeKind.Accepted => "accepted",
        ProviderOutcomeKind.PermanentFailure => "permanent_failure",
        ProviderOutcomeKind.TransientFailure => "transient_failure",
        ProviderOutcomeKind.RateLimited => "rate_limited",
        ProviderOutcomeKind.Unknown => "unknown",
        _ => "not_attempted",
    };
}
