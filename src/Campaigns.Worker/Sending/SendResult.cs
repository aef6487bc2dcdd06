namespace Campaigns.Worker.Sending;

public enum SendResultKind
{
    Sent,
    /// <summary>Worth retrying: timeouts, throttling, provider outages.</summary>
    TransientFailure,
    /// <summary>Never going to work (invalid or unreachable number): failed at once.</summary>
    PermanentFailure,
}

public readonly record struct SendResult(SendResultKind Kind, string? Error)
{
    public static readonly SendResult Sent = new(SendResultKind.Sent, null);

    public static SendResult Transient(string error) => new(SendResultKind.TransientFailure, error);

    public static SendResult Permanent(string error) => new(SendResultKind.PermanentFailure, error);

    public string OutcomeTag => Kind switch
    {
        SendResultKind.Sent => "sent",
        SendResultKind.TransientFailure => "transient_failure",
        _ => "permanent_failure",
    };
}
