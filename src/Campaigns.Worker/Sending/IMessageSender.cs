namespace Campaigns.Worker.Sending;

/// <summary>A provider for one channel. Implementations must be safe to call concurrently.</summary>
public interface IMessageSender
{
    /// <summary>The channel this sender delivers (<c>sms</c>, <c>whatsapp</c>).</summary>
    string Channel { get; }

    /// <summary>
    /// Delivers one message. Expected provider errors are returned, not thrown; an exception counts as
    /// a transient failure. <see cref="SendRequest.IdempotencyKey"/> is the same for every attempt.
    /// </summary>
    ValueTask<SendResult> SendAsync(SendRequest request, CancellationToken cancellationToken);
}

/// <param name="Attempt">1 for the first attempt.</param>
public readonly record struct SendRequest(long MessageId, int Attempt, string IdempotencyKey, string Phone, string Content)
{
    /// <summary>The provider of the previous attempt, if any: the router starts after it, or (unknown outcome) stays with it.</summary>
    public string? AttemptProvider { get; init; }

    /// <summary>The previous attempt's outcome is unknown: it may have been delivered, so only its provider may try again.</summary>
    public bool AttemptUnknown { get; init; }

    /// <summary>A WhatsApp campaign's pre-approved template, when it has one.</summary>
    public Core.Domain.WhatsAppTemplate? Template { get; init; }

    /// <summary>Whether this call gets its own span (a few calls of each batch are sampled).</summary>
    public bool Traced { get; init; }

    /// <summary>The template's body parameters rendered for this recipient.</summary>
    public IReadOnlyList<string>? TemplateParameters { get; init; }

    /// <summary>
    /// Messages claimed with this one (itself included) that have the same text: how many a bulk
    /// provider can expect to share a request with it (1: none, so it need not wait for company).
    /// </summary>
    public int SameTextInClaim { get; init; } = 1;

    /// <summary>How long the message stays valid from now (null: no deadline): a provider that takes a validity gets it.</summary>
    public TimeSpan? ValidFor { get; init; }

    /// <summary>One key per message, whatever the attempt: a provider that honours it delivers once.</summary>
    public static string IdempotencyKeyFor(long messageId) => $"msg-{messageId}";
}
