using Campaigns.Core.Domain;
using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Delivery;

/// <summary>What one finished attempt does to its message: the row's next state.</summary>
/// <param name="ClaimedRetryCount">The message's <c>retry_count</c> when the attempt was claimed (the fence).</param>
/// <param name="Status">sent, pending (to retry after <paramref name="RetryDelay"/>) or failed.</param>
public readonly record struct AttemptOutcome(
    long MessageId, int ClaimedRetryCount, string Status, int RetryCount, string? Error, TimeSpan RetryDelay)
{
    public const string MaxRetriesPrefix = "max retries exceeded: ";

    /// <summary>A claim handed back without a provider call: pending again at once, no attempt charged.</summary>
    public static AttemptOutcome HandedBack(long messageId, int claimedRetryCount) =>
        new(messageId, claimedRetryCount, MessageStatus.Pending, claimedRetryCount, null, TimeSpan.Zero);

    public bool IsHandBack => Status == MessageStatus.Pending && RetryCount == ClaimedRetryCount;

    /// <summary>The delivery rules of api.md, "Delivery".</summary>
    public static AttemptOutcome Decide(
        long messageId, int claimedRetryCount, SendResult result, int maxAttempts, Func<int, TimeSpan> backoff)
    {
        if (result.Kind == SendResultKind.Sent)
        {
            return new(messageId, claimedRetryCount, MessageStatus.Sent, claimedRetryCount, null, TimeSpan.Zero);
        }
        var failed = claimedRetryCount + 1;
        var error = string.IsNullOrEmpty(result.Error) ? "unknown error" : result.Error;
        if (result.Kind == SendResultKind.PermanentFailure)
        {
            return new(messageId, claimedRetryCount, MessageStatus.Failed, failed, error, TimeSpan.Zero);
        }
        return failed >= maxAttempts
            ? new(messageId, claimedRetryCount, MessageStatus.Failed, failed, MaxRetriesPrefix + error, TimeSpan.Zero)
            : new(messageId, claimedRetryCount, MessageStatus.Pending, failed, error, backoff(failed));
    }
}
