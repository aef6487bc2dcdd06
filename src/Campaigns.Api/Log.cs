namespace Campaigns.Api;

/// <summary>The API's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Database migrations applied: {ScriptCount} new script(s)")]
    public static partial void MigrationsApplied(ILogger logger, int scriptCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Seeded demo data: {CustomerCount} customers, {CampaignCount} campaigns")]
    public static partial void DemoDataSeeded(ILogger logger, int customerCount, int campaignCount);
}
