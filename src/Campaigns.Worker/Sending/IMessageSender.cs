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
    /// <summary>One key per message, whatever the attempt: a provider that honours it delivers once.</summary>
    public static string IdempotencyKeyFor(long messageId) => $"msg-{messageId}";
}
