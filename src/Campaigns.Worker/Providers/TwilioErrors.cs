namespace Campaigns.Worker.Providers;

/// <summary>
/// Twilio's error answers (<c>{code, message, more_info, status}</c>) by class, per the issue #14 design
/// notes §1: the code decides where Twilio gives one, the HTTP status otherwise.
/// </summary>
internal static class TwilioErrors
{
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    // 21611: the sender's queue holds over 10 hours of messages; nothing moves soon.
    public static readonly TimeSpan QueueFullRetryAfter = TimeSpan.FromSeconds(60);

    public static ProviderOutcome Classify(int httpStatus, int? code, string? message, TimeSpan? retryAfter)
    {
        var errorCode = (code ?? httpStatus).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return code switch
        {
            // The recipient replied STOP: an opt-out at the provider.
            21610 => ProviderOutcome.Permanent(errorCode, message, suppressPhone: true),
            // Invalid To, not SMS-capable, a landline: no provider will do better.
            21211 or 21614 or 21635 => ProviderOutcome.Permanent(errorCode, message),
            // Never processed (https://www.twilio.com/docs/api/errors/20429).
            20429 => ProviderOutcome.RateLimited(retryAfter ?? DefaultRetryAfter, errorCode, message),
            21611 => ProviderOutcome.RateLimited(retryAfter ?? QueueFullRetryAfter, errorCode, message),
            // Bad credentials or sender: every message would fail the same way.
            20003 or 21606 => ProviderOutcome.Transient(errorCode, message, circuitFailure: true),
            // This account cannot reach this number; another provider may.
            21408 or 21612 or 21212 or 21608 => ProviderOutcome.Transient(errorCode, message),
            _ when httpStatus == 429 => ProviderOutcome.RateLimited(retryAfter ?? DefaultRetryAfter, errorCode, message),
            _ when httpStatus >= 500 || httpStatus is 401 or 403 => ProviderOutcome.Transient(errorCode, message, circuitFailure: true),
            // An error the notes do not name: bounded by the attempts, free to fail over.
            _ => ProviderOutcome.Transient(errorCode, message),
        };
    }
}
