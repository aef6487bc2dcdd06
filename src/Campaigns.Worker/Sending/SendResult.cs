namespace Campaigns.Worker.Sending;

public enum SendResultKind
{
    Sent,
    /// <summary>Worth retrying: timeouts, throttling, provider outages.</summary>
    TransientFailure,
    /// <summary>Never going to work (invalid or unreachable number): failed at once.</summary>
    PermanentFailure,
    /// <summary>No provider took the request (rate limited, every circuit open): handed back, no attempt charged.</summary>
    NotSent,
}

/// <summary>What became of one attempt, and what the provider said about it.</summary>
public readonly record struct SendResult(SendResultKind Kind, string? Error)
{
    public static readonly SendResult Sent = new(SendResultKind.Sent, null);

    /// <summary>The provider that took (or refused) the message; null when none was called.</summary>
    public string? Provider { get; init; }

    /// <summary>The accepting provider's id for the message, which its receipts carry.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>The provider's own error code, as it gave it.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The provider may have sent it (no answer after the request was written): retry only there.</summary>
    public bool Unknown { get; init; }

    /// <summary>A provider-side opt-out: the customer is marked opted out.</summary>
    public bool SuppressPhone { get; init; }

    /// <summary>For <see cref="SendResultKind.NotSent"/>: how long the message waits before it is tried again.</summary>
    public TimeSpan RetryAfter { get; init; }

    public static SendResult Transient(string error) => new(SendResultKind.TransientFailure, error);

    public static SendResult Permanent(string error) => new(SendResultKind.PermanentFailure, error);

    public static SendResult NotSentFor(TimeSpan retryAfter, string error) => new(SendResultKind.NotSent, error) { RetryAfter = retryAfter };

    public string OutcomeTag => Kind switch
    {
        SendResultKind.Sent => "sent",
        SendResultKind.TransientFailure => Unknown ? "unknown" : "transient_failure",
        SendResultKind.NotSent => "not_sent",
        _ => "permanent_failure",
    };
}
