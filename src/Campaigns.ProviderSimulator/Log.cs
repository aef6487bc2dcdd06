namespace Campaigns.ProviderSimulator;

/// <summary>The simulator's log messages, source-generated; provider message ids as properties.</summary>
internal static partial class Log
{
    // Start
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Simulating twilio, africastalking and whatsapp-cloud: latency {MinLatencyMs}–{MaxLatencyMs} ms, {RuleCount} outcome rule(s), receipts after {ReceiptDelayMinMs}–{ReceiptDelayMaxMs} ms to {PublicBaseUrl}")]
    public static partial void Started(ILogger logger, int minLatencyMs, int maxLatencyMs, int ruleCount, int receiptDelayMinMs, int receiptDelayMaxMs, string publicBaseUrl);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Webhooks:PublicBaseUrl is not set: Africa's Talking and WhatsApp receipts are not posted (Twilio's go to each message's StatusCallback)")]
    public static partial void NoPublicBaseUrl(ILogger logger);

    // Sends
    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Provider} send of {Recipients} recipient(s): {Outcome}, HTTP {HttpStatus}")]
    public static partial void SendAnswered(ILogger logger, string provider, int recipients, string outcome, int httpStatus);

    // Control
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Provider} set to {Mode} (Retry-After {RetryAfterSeconds} s when rate-limited)")]
    public static partial void ModeSet(ILogger logger, string provider, string mode, int retryAfterSeconds);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Control reset: every provider up, receipts released, counters zero")]
    public static partial void ControlReset(ILogger logger);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Receipts held: {Held} ({Pending} waiting)")]
    public static partial void ReceiptsHeld(ILogger logger, bool held, int pending);

    // Receipts
    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "{Provider} receipt {Status} for {ProviderMessageId} posted: HTTP {HttpStatus}")]
    public static partial void ReceiptPosted(ILogger logger, string provider, string status, string providerMessageId, int httpStatus);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Provider} receipt {Status} for {ProviderMessageId} refused: HTTP {HttpStatus} at {Path}; not retried")]
    public static partial void ReceiptRefused(ILogger logger, string provider, string status, string providerMessageId, int httpStatus, string path);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning,
        Message = "{Provider} receipt {Status} for {ProviderMessageId}: attempt {Attempt} failed ({Failure}); retrying in {Backoff}")]
    public static partial void ReceiptRetrying(ILogger logger, string provider, string status, string providerMessageId, int attempt, string failure, TimeSpan backoff);

    [LoggerMessage(EventId = 33, Level = LogLevel.Error, Message = "{Provider} receipt {Status} for {ProviderMessageId} given up after {Attempts} attempt(s): {Failure}")]
    public static partial void ReceiptAbandoned(ILogger logger, string provider, string status, string providerMessageId, int attempts, string failure);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Receipt queue full ({Capacity}): {Provider} receipt {Status} for {ProviderMessageId} dropped")]
    public static partial void ReceiptDropped(ILogger logger, int capacity, string provider, string status, string providerMessageId);

    [LoggerMessage(EventId = 35, Level = LogLevel.Error, Message = "Posting {Provider} receipt {Status} for {ProviderMessageId} failed unexpectedly")]
    public static partial void ReceiptPostFailed(ILogger logger, Exception exception, string provider, string status, string providerMessageId);

    [LoggerMessage(EventId = 36, Level = LogLevel.Warning, Message = "Stopping with {Count} receipt(s) not yet posted")]
    public static partial void ReceiptsUnsent(ILogger logger, int count);
}
