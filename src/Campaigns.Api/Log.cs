namespace Campaigns.Api;

/// <summary>The API's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}, trace {TraceId}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string traceId, string method, string path);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Campaign {CampaignId} accepted: {MessageCount} messages, {Skipped} skipped (opted out, suppressed, capped), status {Status}")]
    public static partial void SendAccepted(ILogger logger, long campaignId, int messageCount, int skipped, string status);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "Campaign {CampaignId}: {MessageCount} messages committed but not queued; the retry driver will queue them")]
    public static partial void EnqueueDeferred(ILogger logger, Exception exception, long campaignId, int messageCount);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning,
        Message = "Campaign {CampaignId}: {Published} jobs queued, the rest committed but not queued; the retry driver will queue them")]
    public static partial void EnqueueDeferredAfter(ILogger logger, Exception exception, long campaignId, int published);

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical,
        Message = "Fault injection (Faults:CrashAfterCommitBeforeEnqueue): campaign {CampaignId} committed; killing the process before queueing")]
    public static partial void FaultInjectedCrash(ILogger logger, long campaignId);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Removed {Count} expired idempotency keys")]
    public static partial void IdempotencyKeysExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Authentication is DISABLED (Auth:Disabled=true): anyone who can reach the API can use it")]
    public static partial void AuthenticationDisabled(ILogger logger);
    [LoggerMessage(EventId = 70, Level = LogLevel.Warning,
        Message = "Webhook {Provider} {Webhook} refused: its {Proof} is missing or wrong (check the provider's secret and Webhooks:PublicBaseUrl)")]
    public static partial void WebhookRefused(ILogger logger, string provider, string webhook, string proof);

    [LoggerMessage(EventId = 71, Level = LogLevel.Debug,
        Message = "Webhook {Provider}: {Receipts} receipts stored, {Inbound} inbound messages stored, {Repeated} already stored")]
    public static partial void WebhookStored(ILogger logger, string provider, int receipts, int inbound, int repeated);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Customer import: {Received} rows, {Created} created, {Updated} updated, {Rejected} rejected, in {TotalMs} ms")]
    public static partial void CustomersImported(ILogger logger, int received, int created, int updated, int rejected, long totalMs);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information,
        Message = "Inbound {Keyword} on {Channel} via {Provider} (customer {CustomerId})")]
    public static partial void KeywordReceived(ILogger logger, string keyword, string channel, string provider, long? customerId);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Suppression of {Channel} added for a phone by the API")]
    public static partial void SuppressionAdded(ILogger logger, string channel);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Suppressions of {Channel} removed for a phone by the API")]
    public static partial void SuppressionsRemoved(ILogger logger, string channel);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
        Message = "A link click was dropped: the click buffer ({Capacity}) is full (Links:ClickBufferCapacity)")]
    public static partial void ClickDropped(ILogger logger, int capacity);

    [LoggerMessage(EventId = 121, Level = LogLevel.Debug, Message = "{Clicks} link clicks written, {Counted} messages clicked for the first time")]
    public static partial void ClicksWritten(ILogger logger, int clicks, int counted);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "{Clicks} link clicks could not be written and are lost")]
    public static partial void ClicksLost(ILogger logger, int clicks, Exception exception);

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning,
        Message = "A read on the read replica failed; it runs again on the primary")]
    public static partial void ReplicaReadFailed(ILogger logger, Exception exception);
}
