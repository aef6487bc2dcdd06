using System.Globalization;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Graph API errors (<c>{"error":{"code",…}}</c>) by class, per the issue #14 design notes §3: by
/// <c>error.code</c> first (rate limits come as 400 or 429), then by HTTP status.
/// </summary>
internal static class WhatsAppCloudErrors
{
    public static readonly TimeSpan ThroughputRetryAfter = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan RequestLimitRetryAfter = TimeSpan.FromSeconds(60);

    // About one message per 6 s to one recipient.
    public static readonly TimeSpan PairRetryAfter = TimeSpan.FromSeconds(6);

    public static ProviderOutcome Classify(int httpStatus, int? code, string? message, TimeSpan? retryAfter)
    {
        var errorCode = (code ?? httpStatus).ToString(CultureInfo.InvariantCulture);
        return code switch
        {
            // Cloud API throughput of the business number.
            130429 => ProviderOutcome.RateLimited(retryAfter ?? ThroughputRetryAfter, errorCode, message),
            // App or WABA request limits.
            4 or 80007 => ProviderOutcome.RateLimited(retryAfter ?? RequestLimitRetryAfter, errorCode, message),
            // This recipient only: the provider is not slowed for the others.
            131056 => ProviderOutcome.RateLimited(Max(retryAfter, PairRetryAfter), errorCode, message, slowsProvider: false),
            // Spam rate limit: charged, bounded by the attempts, may fail over.
            131048 => ProviderOutcome.Transient(errorCode, message),
            // Undeliverable, outside the 24 h window, template missing or malformed, bad parameters.
            131026 or 131047 or 132000 or 132001 or 132005 or 132012 or 132015 or 132016 or 100 or 131008 or 131009 =>
                ProviderOutcome.Permanent(errorCode, message),
            // Meta unwell (1, 2, 131000, 131016), the token or permissions (0, 10, 190, 200–299), the business
            // number unregistered (133010), payment or policy (131042, 368): every message fails alike.
            1 or 2 or 131000 or 131016 or 0 or 10 or 190 or (>= 200 and <= 299) or 133010 or 131042 or 368 =>
                ProviderOutcome.Transient(errorCode, message, circuitFailure: true),
            _ when httpStatus == 429 => ProviderOutcome.RateLimited(retryAfter ?? ThroughputRetryAfter, errorCode, message),
            _ when httpStatus >= 500 || httpStatus is 401 or 403 => ProviderOutcome.Transient(errorCode, message, circuitFailure: true),
            _ => ProviderOutcome.Transient(errorCode, message),
        };
    }

    private static TimeSpan Max(TimeSpan? given, TimeSpan floor) => given is { } value && value > floor ? value : floor;
}
