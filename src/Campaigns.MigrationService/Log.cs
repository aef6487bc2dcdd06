namespace Campaigns.MigrationService;

/// <summary>The migration service's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Database migrations applied: {ScriptCount} new script(s) {Scripts}")]
    public static partial void MigrationsApplied(ILogger logger, int scriptCount, IReadOnlyList<string> scripts);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Seeded demo data: {CustomerCount} customers, {CampaignCount} campaigns")]
    public static partial void DemoDataSeeded(ILogger logger, int customerCount, int campaignCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Database migration failed")]
    public static partial void MigrationError(ILogger logger, Exception exception);

    /// <summary>The reason alone, as the service's last words: whoever reads the end of its log finds it there.</summary>
    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "Database migration failed: {Reason}")]
    public static partial void MigrationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Gave {CustomerCount} customer(s) without a time zone the one their phone gives")]
    public static partial void TimeZonesBackfilled(ILogger logger, long customerCount);
}
