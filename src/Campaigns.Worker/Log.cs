namespace Campaigns.Worker;

/// <summary>The worker's log messages, source-generated, with campaign and message ids as properties.</summary>
internal static partial class Log
{
    // Consume loop
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Consumer {Consumer} started: concurrency {Concurrency}, batch size {BatchSize}")]
    public static partial void ConsumerStarted(ILogger logger, string consumer, int concurrency, int batchSize);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Consumer stopping: no more reads, {InFlight} send(s) in flight")]
    public static partial void ConsumerStopping(ILogger logger, long inFlight);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Consumer {Consumer} stopped")]
    public static partial void ConsumerStopped(ILogger logger, string consumer);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Reading the send queue failed; retrying in {Delay}")]
    public static partial void ReadFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The consumer group is missing (Redis restarted or was flushed); creating it again")]
    public static partial void ConsumerGroupMissing(ILogger logger);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Ignoring stream entry {EntryId}: not a send job")]
    public static partial void InvalidJob(ILogger logger, string entryId);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Batch of {JobCount} job(s): {ClaimedCount} message(s) claimed")]
    public static partial void BatchClaimed(ILogger logger, int jobCount, int claimedCount);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "A batch of {JobCount} job(s) failed; {HandedBack} claim(s) not yet sent are handed back without an attempt")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int jobCount, int handedBack);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Took over {JobCount} job(s) idle at another consumer")]
    public static partial void JobsTakenOver(ILogger logger, int jobCount);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Acknowledging {JobCount} job(s) failed; they will be taken over and acknowledged later")]
    public static partial void AcknowledgeFailed(ILogger logger, Exception exception, int jobCount);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Recording {CallCount} sender call(s) failed")]
    public static partial void RecordCallsFailed(ILogger logger, Exception exception, int callCount);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "Removing the call records of {CallCount} message(s) handed back unsent failed")]
    public static partial void ForgetCallsFailed(ILogger logger, Exception exception, int callCount);

    // Sending and outcomes
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Message {MessageId} of campaign {CampaignId} cancelled: the customer opted out")]
    public static partial void MessageCancelledOptedOut(ILogger logger, long messageId, long campaignId);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Message {MessageId} of campaign {CampaignId} expired at claim: the campaign's validity ended")]
    public static partial void MessageExpiredAtClaim(ILogger logger, long messageId, long campaignId);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Message {MessageId} of campaign {CampaignId} handed back before its call: its send window closed or its validity ended")]
    public static partial void SendDeadlinePassed(ILogger logger, long messageId, long campaignId);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "{MessageCount} message(s) of {CampaignCount} campaign(s) expired: validity ended")]
    public static partial void MessagesExpired(ILogger logger, int messageCount, int campaignCount);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "The sender threw for message {MessageId} of campaign {CampaignId}; counted as a transient failure")]
    public static partial void SenderThrew(ILogger logger, Exception exception, long messageId, long campaignId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Shutdown grace period over: {SendCount} send(s) abandoned, left to their lease")]
    public static partial void SendsAbandoned(ILogger logger, long sendCount);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Writing {OutcomeCount} outcome(s) failed; retrying in {Delay}")]
    public static partial void OutcomeWriteFailed(ILogger logger, Exception exception, int outcomeCount, TimeSpan delay);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "{OutcomeCount} outcome(s) not written before shutdown; left to their lease")]
    public static partial void OutcomesAbandoned(ILogger logger, int outcomeCount);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Outcome of message {MessageId} of campaign {CampaignId} arrived after its lease expired and it was claimed again; ignored")]
    public static partial void OutcomeSuperseded(ILogger logger, long messageId, long campaignId);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Message {MessageId} of campaign {CampaignId} failed after {Attempts} attempt(s): {Error}")]
    public static partial void MessageFailed(ILogger logger, long messageId, long campaignId, int attempts, string? error);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Message {MessageId} of campaign {CampaignId}: attempt {Attempts} failed ({Error}); retrying in {Delay}")]
    public static partial void MessageWillRetry(ILogger logger, long messageId, long campaignId, int attempts, TimeSpan delay, string? error);

    [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "Campaign {CampaignId} completed: {Status}")]
    public static partial void CampaignCompleted(ILogger logger, long campaignId, string status);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Checking {CampaignCount} campaign(s) for completion failed after their outcomes committed; the sweep will complete them")]
    public static partial void CompletionDeferred(ILogger logger, Exception exception, int campaignCount);

    [LoggerMessage(EventId = 209, Level = LogLevel.Critical, Message = "Writing {OutcomeCount} outcome(s) crashed; left to their lease")]
    public static partial void FlushCrashed(ILogger logger, Exception exception, int outcomeCount);

    // Background loops
    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Re-queued {MessageCount} due message(s)")]
    public static partial void MessagesRequeued(ILogger logger, int messageCount);


    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Lease of message {MessageId} of campaign {CampaignId} expired: attempt counted as failed, now {Status}")]
    public static partial void LeaseExpired(ILogger logger, long messageId, long campaignId, string status);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Scheduled campaign {CampaignId} dispatched: its messages are due for the retry driver")]
    public static partial void CampaignDispatched(ILogger logger, long campaignId);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information,
        Message = "Campaign {CampaignId}'s A/B test decided on {Metric}: winner {Winner}, sent to the {Released} other recipients")]
    public static partial void AbTestDecided(ILogger logger, long campaignId, string metric, string winner, int released);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "Removed {ConsumerCount} dead consumer(s) from the group")]
    public static partial void DeadConsumersRemoved(ILogger logger, int consumerCount);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "Channel {Channel} rate limit: {Waiting} message(s) wait {Delay} for permits")]
    public static partial void RateLimitWait(ILogger logger, string channel, int waiting, TimeSpan delay);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "{MessageCount} claim(s) that waited for permits not sent: their campaign was paused or cancelled meanwhile, or their lease ran out")]
    public static partial void ClaimsWithdrawn(ILogger logger, int messageCount);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "{MessageCount} claimed message(s) not sent were handed back without an attempt")]
    public static partial void ClaimsHandedBack(ILogger logger, int messageCount);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "{MessageCount} held claim(s) lost their lease (Postgres away longer than the lease?); their outcomes are still written")]
    public static partial void LeasesLostWhileHeld(ILogger logger, int messageCount);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "The provider call for message {MessageId} of campaign {CampaignId} took longer than {Timeout}; counted as a transient failure")]
    public static partial void SendTimedOut(ILogger logger, long messageId, long campaignId, TimeSpan timeout);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "The send queue lost its jobs (Redis restarted empty or was flushed): every queued message is published again now")]
    public static partial void QueueLost(ILogger logger);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "Sampling the send queue failed")]
    public static partial void QueueSampleFailed(ILogger logger, Exception exception);

    // Providers (never the request: it carries phones and credentials)
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "The call to provider {Provider} got no answer: {Outcome}")]
    public static partial void ProviderCallFailed(ILogger logger, Exception exception, string provider, string outcome);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Provider {Provider} is unwell or misconfigured: HTTP {StatusCode}, code {ErrorCode}: {Error}")]
    public static partial void ProviderUnwell(ILogger logger, string provider, int? statusCode, string? errorCode, string? error);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Provider {Provider} did not accept a message: HTTP {StatusCode}, code {ErrorCode}, {Outcome}")]
    public static partial void ProviderRefused(ILogger logger, string provider, int? statusCode, string? errorCode, string outcome);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Provider {Provider} asked us to slow down: paused for {Duration}")]
    public static partial void ProviderPaused(ILogger logger, string provider, TimeSpan duration);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Reading the providers' shared pauses from Redis failed")]
    public static partial void ProviderPauseSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Applied receipts to {Messages} messages")]
    public static partial void ReceiptsApplied(ILogger logger, int messages);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Dropped {Count} receipts whose message id was never recorded within {KeptFor}")]
    public static partial void StaleReceiptsDropped(ILogger logger, int count, TimeSpan keptFor);

    [LoggerMessage(EventId = 420, Level = LogLevel.Information,
        Message = "Consent reply {ReplyId}: {Status} (provider {Provider}, error {Error})")]
    public static partial void ConsentReplyAttempted(ILogger logger, long replyId, string status, string? provider, string? error);

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning,
        Message = "Personalizing message {MessageId} of campaign {CampaignId} failed (its campaign, row or budget could not be read or stored): handed back")]
    public static partial void PersonalizationFailed(ILogger logger, Exception exception, long messageId, long campaignId);

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Made {Count} message partition(s) ahead of the campaigns")]
    public static partial void MessagePartitionsMade(ILogger logger, int count);

    [LoggerMessage(EventId = 441, Level = LogLevel.Debug, Message = "Message partitions not extended: campaigns, customers or the messages' overflow partition were in use; trying again in {Delay}")]
    public static partial void MessagePartitionsBusy(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 442, Level = LogLevel.Warning,
        Message = "Message partitions not extended for {Rounds} rounds in a row: campaigns, customers or the messages' overflow partition are always in use. New campaigns go to the overflow partition once the ranges made ahead run out")]
    public static partial void MessagePartitionsBusyLong(ILogger logger, int rounds);
}
