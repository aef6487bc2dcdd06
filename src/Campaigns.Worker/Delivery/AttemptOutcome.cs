using Campaigns.Core.Domain;
using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Delivery;

/// <summary>What one finished attempt does to its message: the row's next state, and the provider's answer.</summary>
/// <param name="ClaimedRetryCount">The message's <c>retry_count</c> when the attempt was claimed (the fence).</param>
/// <param name="Status">sent, pending (to retry after <paramref name="RetryDelay"/>) or failed.</param>
public readonly record struct AttemptOutcome(
    long MessageId, int ClaimedRetryCount, string Status, int RetryCount, string? Error, TimeSpan RetryDelay)
{
    public const string MaxRetriesPrefix = "max retries exceeded: ";

    /// <summary>The message's campaign, when known: the outcome finds the row in its partition.</summary>
    public long? CampaignId { get; init; }

    public string? Provider { get; init; }

    public string? ProviderMessageId { get; init; }

    public string? ErrorCode { get; init; }

    public bool Unknown { get; init; }

    public bool SuppressPhone { get; init; }

    /// <summary>A claim handed back without a provider call: pending again after <paramref name="delay"/>, no attempt charged.</summary>
    public static AttemptOutcome HandedBack(long messageId, int claimedRetryCount, TimeSpan delay = default) =>
        new(messageId, claimedRetryCount, MessageStatus.Pending, claimedRetryCount, null, delay);

    public bool IsHandBack => Status == MessageStatus.Pending && RetryCount == ClaimedRetryCount;

    /// <summary>The delivery rules of api.md, "Delivery" and "Providers and routing".</summary>
    public static AttemptOutcome Decide(
        long messageId, int claimedRetryCount, SendResult result, int maxAttempts, Func<int, TimeSpan> backoff)
    {
        var decided = DecideStatus(messageId, claimedRetryCount, result, maxAttempts, backoff);
        return decided with
        {
            Provider = result.Provider,
            ProviderMessageId = result.ProviderMessageId,
            ErrorCode = result.ErrorCode,
            Unknown = result.Unknown,
            SuppressPhone = result.SuppressPhone,
        };
    }

    private static AttemptOutcome DecideStatus(
        long messageId, int claimedRetryCount, SendResult result, int maxAttempts, Func<int, TimeSpan> backoff)
    {
        switch (result.Kind)
        {
            case SendResultKind.Sent:
                return new(messageId, claimedRetryCount, MessageStatus.Sent, claimedRetryCount, null, TimeSpan.Zero);
            case SendResultKind.NotSent:
                return HandedBack(messageId, claimedRetryCount, result.RetryAfter);
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
